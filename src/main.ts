import { readFileSync } from 'node:fs';
import { setTimeout as delay } from 'node:timers/promises';
import { pathToFileURL } from 'node:url';
import type { FastifyInstance } from 'fastify';
import { pino, type DestinationStream, type Logger } from 'pino';
import { loadConfig, type Config } from './config/load-config.js';
import { createLogger } from './compose/logger.js';
import { buildService, type Environment, type Service } from './deps.js';
import { systemClock } from './lib/clock.js';
import { createReadiness, type Readiness } from './lifecycle/readiness.js';
import type { Telemetry } from './telemetry/start-telemetry.js';

/** A listening server and the way to stop it. */
export interface RunningServer {
  readonly url: string;
  /** The separate metrics listener's URL, with `METRICS_PORT`. */
  readonly metricsUrl?: string;
  readonly app: FastifyInstance;
  readonly readiness: Readiness;
  /** Resolves once the instance is ready (rejects, handled, when it stopped first). */
  readonly ready: Promise<void>;
  /**
   * Drains: readiness goes 503 at once, no new connections are accepted, in-flight requests
   * get the shutdown timeout to finish. Resolves 0 when they did, 1 when the deadline passed.
   */
  shutdown(): Promise<number>;
}

// Telemetry comes from the configuration (`OBSERVE_*`), not from the caller.
export interface StartOptions extends Partial<Omit<Environment, 'readiness' | 'telemetry'>> {
  readonly host?: string;
  /** Configuration warnings, logged once the logger exists. */
  readonly warnings?: readonly string[];
}

/** How long the final span and metric export may hold up the exit after the drain. */
export const telemetryFlushTimeoutMs = 5000;

/**
 * Builds the service from configuration, listens, and marks it ready. When listening fails
 * (a port in use), everything started so far is stopped again before the error is thrown.
 */
export async function startServer(config: Config, options: StartOptions = {}): Promise<RunningServer> {
  // One asynchronous stdout for log and audit lines: lines are gathered up to 4 KiB, or for
  // at most 100 ms, then written in one write, and the lines of both never interleave. It
  // is flushed synchronously when the process exits (pino registers that), so no line is lost.
  let stdout: DestinationStream | undefined;
  const standardOutput = () => (stdout ??= pino.destination({ dest: 1, sync: false, minLength: 4096, periodicFlush: 100 }));
  const logger = options.logger ?? createLogger(config.logging.development, standardOutput());
  for (const warning of options.warnings ?? []) logger.warn(warning);
  const readiness = createReadiness();
  const service = await buildService(config, {
    clock: options.clock ?? systemClock,
    readiness,
    logger,
    auditDestination: options.auditDestination ?? standardOutput(),
    ...(options.fetch && { fetch: options.fetch }),
    ...(options.observer && { observer: options.observer }),
  });
  const stopBackground = async () => {
    await service.stop().catch((error: unknown) => logger.error({ err: error }, 'stopping background work failed'));
    await flushTelemetry(service.telemetry, logger);
  };
  const { url, metricsUrl } = await listen(config, service, options.host ?? '0.0.0.0', logger).catch(async (error: unknown) => {
    await stopBackground();
    throw error;
  });
  // Ready only once profiles are loaded and the default installation's account is known:
  // a half-started instance must not hand out tokens.
  service.ready.then(
    () => {
      readiness.markReady();
      logger.info({ url }, 'server ready');
    },
    () => undefined, // stopped before the first load: the instance is shutting down
  );
  const shutdown = async () => {
    const code = await drain(service.app, readiness, logger, config.server.shutdownTimeoutMs);
    // Once the last request has finished: its spans and the final metrics are exported.
    await stopBackground();
    // Last: metrics stay scrapable while the instance drains.
    await service.metrics?.app.close();
    return code;
  };
  return { url, ...(metricsUrl && { metricsUrl }), app: service.app, readiness, ready: service.ready, shutdown };
}

/** Listens on the service port, then on `METRICS_PORT` if set; on failure closes what it opened. */
async function listen(config: Config, service: Service, host: string, logger: Logger) {
  const { app, metrics } = service;
  try {
    const url = await app.listen({ port: config.server.port, host });
    logger.info({ url, basePath: config.server.basePath || undefined }, 'server listening');
    const metricsUrl = metrics && (await metrics.app.listen({ port: metrics.port, host }));
    if (metricsUrl !== undefined) logger.info({ url: metricsUrl }, 'metrics listening');
    return { url, metricsUrl };
  } catch (error) {
    await app.close();
    throw error;
  }
}

/** Flushes spans and metrics, giving up after {@link telemetryFlushTimeoutMs} (an unreachable collector). */
async function flushTelemetry(telemetry: Telemetry | undefined, logger: Logger): Promise<void> {
  if (telemetry === undefined) return;
  const flushed = telemetry.shutdown().then(() => 'flushed' as const);
  const outcome = await Promise.race([flushed, delay(telemetryFlushTimeoutMs, 'deadline' as const, { ref: false })]);
  if (outcome === 'deadline') logger.warn({ timeoutMs: telemetryFlushTimeoutMs }, 'telemetry export did not finish in time');
}

async function drain(app: FastifyInstance, readiness: Readiness, logger: Logger, timeoutMs: number) {
  logger.info('server shutdown requested');
  readiness.beginDraining();
  const closed = app.close().then(() => 'closed' as const);
  const outcome = await Promise.race([closed, delay(timeoutMs, 'deadline' as const, { ref: false })]);
  if (outcome === 'deadline') {
    logger.error({ timeoutMs }, 'server shutdown failed: in-flight requests did not finish in time');
    app.server.closeAllConnections();
    return 1;
  }
  logger.info('server shutdown complete');
  return 0;
}

/**
 * `token-bridge serve`: reads the environment, names every configuration problem and
 * returns 1, or serves until SIGTERM/SIGINT and returns the drain's exit code.
 */
export async function runServe(
  env: Readonly<Record<string, string | undefined>>,
  streams: { stderr: DestinationStream } = { stderr: process.stderr },
): Promise<number> {
  const loaded = loadConfig(env, (path) => readFileSync(path, 'utf8'));
  if (!loaded.ok) {
    streams.stderr.write(`token-bridge: invalid configuration:\n${loaded.problems.map((p) => `  - ${p}\n`).join('')}`);
    return 1;
  }
  let server: RunningServer;
  try {
    server = await startServer(loaded.config, { warnings: loaded.warnings });
  } catch (error) {
    streams.stderr.write(`token-bridge: failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
  const signal = await new Promise<NodeJS.Signals>((resolve) => {
    process.once('SIGTERM', resolve);
    process.once('SIGINT', resolve);
  });
  server.app.log.info({ signal }, 'signal received');
  return server.shutdown();
}

const invokedDirectly = process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href;
if (invokedDirectly) process.exit(await runServe(process.env));
