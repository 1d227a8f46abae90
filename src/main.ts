import { readFileSync } from 'node:fs';
import { setTimeout as delay } from 'node:timers/promises';
import { pathToFileURL } from 'node:url';
import type { FastifyInstance } from 'fastify';
import { pino, type DestinationStream, type Logger } from 'pino';
import { buildApp } from './app.js';
import { loadConfig, type Config } from './config/load-config.js';
import { buildDeps, createLogger, type Environment } from './deps.js';
import { systemClock } from './lib/clock.js';
import { createReadiness, type Readiness } from './lifecycle/readiness.js';

/** A listening server and the way to stop it. */
export interface RunningServer {
  readonly url: string;
  readonly app: FastifyInstance;
  readonly readiness: Readiness;
  /**
   * Drains: readiness goes 503 at once, no new connections are accepted, in-flight requests
   * get the shutdown timeout to finish. Resolves 0 when they did, 1 when the deadline passed.
   */
  shutdown(): Promise<number>;
}

export interface StartOptions extends Partial<Omit<Environment, 'readiness'>> {
  readonly host?: string;
  /** Configuration warnings, logged once the logger exists. */
  readonly warnings?: readonly string[];
}

/** Builds the service from configuration, listens, and marks it ready. */
export async function startServer(config: Config, options: StartOptions = {}): Promise<RunningServer> {
  const logger = options.logger ?? createLogger(config.logging.development, pino.destination(1));
  for (const warning of options.warnings ?? []) logger.warn(warning);
  const readiness = createReadiness();
  const { options: appOptions, deps, background } = await buildDeps(config, {
    clock: options.clock ?? systemClock,
    readiness,
    logger,
    auditDestination: options.auditDestination ?? pino.destination(1),
    ...(options.fetch && { fetch: options.fetch }),
    ...(options.observeUpstream && { observeUpstream: options.observeUpstream }),
  });
  const app = buildApp(appOptions, deps);
  const url = await app.listen({ port: config.server.port, host: options.host ?? '0.0.0.0' });
  logger.info({ url, basePath: config.server.basePath || undefined }, 'server listening');
  // Ready only once profiles are loaded: a half-started instance must not hand out tokens.
  background.profilesLoaded.then(
    () => {
      readiness.markReady();
      logger.info({ url }, 'server ready');
    },
    () => undefined, // stopped before the first load: the instance is shutting down
  );
  const shutdown = async () => {
    const code = await drain(app, readiness, logger, config.server.shutdownTimeoutMs);
    await background.stop();
    return code;
  };
  return { url, app, readiness, shutdown };
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
