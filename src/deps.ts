import { Agent, fetch as undiciFetch } from 'undici';
import { pino, type DestinationStream, type Logger } from 'pino';
import { PinoPretty } from 'pino-pretty';
import type { AppDeps, AppOptions } from './app.js';
import { createAuditWriter } from './audit/audit-writer.js';
import type { Config } from './config/load-config.js';
import { createAppJwtSource } from './github/app-jwt.js';
import { createInstallationTokenMinter } from './github/installation-tokens.js';
import type { Clock } from './lib/clock.js';
import { fanOutObserver, type ObservedState, type Observer } from './lib/observer.js';
import { createUpstream, type Fetch, type UpstreamName } from './lib/upstream.js';
import type { Readiness } from './lifecycle/readiness.js';
import { createDiscoveryKeyResolver, createStaticKeyResolver } from './oidc/key-resolver.js';
import { createTokenVerifier } from './oidc/token-verifier.js';
import { createProfileResolver } from './profile/profile-resolver.js';
import { appSignerFor } from './compose/app-signer.js';
import { startProfiles } from './compose/profiles.js';
import { startTokenVendor } from './compose/token-vendor.js';
import type { MetricsSource } from './metrics/metrics-source.js';
import { createServiceMetrics } from './metrics/service-metrics.js';
import { summarizeGeneration } from './profile/profile-store.js';
import type { Tracing } from './telemetry/start-telemetry.js';

/** What the composition root takes from the process (or from a test). */
export interface Environment {
  readonly clock: Clock;
  readonly readiness: Readiness;
  /** Where audit lines go (stdout in production). */
  readonly auditDestination: DestinationStream;
  readonly logger: Logger;
  /** Outbound HTTP; defaults to a pooled client honouring `SERVER_OUTGOING_*`. */
  readonly fetch?: Fetch;
  /** Observations beyond Prometheus (OpenTelemetry); the metrics of `METRICS_ENABLED` are added here. */
  readonly observer?: Observer;
  /** Spans, when OpenTelemetry tracing is on (`OBSERVE_ENABLED`). */
  readonly tracing?: Tracing;
}

/** The paths and values that must never reach a log line. */
const redactedPaths = ['token', '*.token', 'password', '*.password', 'authorization', '*.authorization', 'headers.authorization'];

/**
 * The process logger: JSON at info, or human-readable at debug with `ENV=development`.
 * `time` is ISO 8601 in UTC either way, as on the audit records sharing the same stdout.
 */
export function createLogger(development: boolean, destination: DestinationStream): Logger {
  const options = {
    level: development ? 'debug' : 'info',
    redact: { paths: redactedPaths, censor: '[redacted]' },
    timestamp: pino.stdTimeFunctions.isoTime,
  };
  const pretty = () => PinoPretty({ destination, sync: true, translateTime: "UTC:yyyy-mm-dd'T'HH:MM:ss.l'Z'" });
  return development ? pino(options, pretty()) : pino(options, destination);
}

/**
 * A fetch over one connection pool: at most `SERVER_OUTGOING_MAX_CONNS_PER_HOST` connections
 * per upstream origin, kept alive between calls.
 */
export function createPooledFetch(config: Config): Fetch {
  const { outgoing } = config.server;
  const dispatcher = new Agent({
    connections: outgoing.maxConnectionsPerHost,
    pipelining: 1,
    keepAliveTimeout: 30_000,
  });
  // undici's fetch is the implementation behind Node's global fetch; only its declared
  // types differ (its own Request/Response classes), so the cast changes no behaviour.
  return ((input: Parameters<Fetch>[0], init?: Parameters<Fetch>[1]) =>
    undiciFetch(input as Parameters<typeof undiciFetch>[0], {
      ...(init as Parameters<typeof undiciFetch>[1]),
      dispatcher,
    })) as unknown as Fetch;
}

/** Work the service does besides answering requests: profile refresh, the shared cache. */
export interface Background {
  /** Resolves once profiles are loaded (at once without a profile file). */
  readonly profilesLoaded: Promise<void>;
  /** State read when observations are collected (Valkey connected, the profile generation). */
  readonly observed: ObservedState;
  /** With `METRICS_PORT`: the page a separate listener on that port serves at `/metrics`. */
  readonly metricsListener?: { readonly port: number; readonly source: MetricsSource };
  stop(): Promise<void>;
}

/**
 * The composition root: real implementations wired from configuration. Asynchronous only
 * for what must be right before serving (the cache encryption keyset); throws when that
 * cannot be loaded.
 */
export async function buildDeps(
  config: Config,
  environment: Environment,
): Promise<{ options: AppOptions; deps: AppDeps; background: Background }> {
  const { clock, logger, tracing } = environment;
  const untracedFetch = environment.fetch ?? createPooledFetch(config);
  const fetch = tracing?.traceFetch?.(untracedFetch) ?? untracedFetch;
  const metrics = config.metrics.enabled ? createServiceMetrics({ clock }) : undefined;
  const observer = fanOutObserver([metrics?.observer, environment.observer].filter((o) => o !== undefined));
  const upstream = (name: UpstreamName) =>
    createUpstream({
      name,
      clock,
      timeoutMs: config.server.outgoing.timeoutMs,
      observe: (event) => observer.upstreamCall(event),
      ...(tracing && { tracer: tracing.upstreams }),
    });

  const keys =
    config.oidc.jwksStatic === undefined
      ? createDiscoveryKeyResolver({ issuerUrl: config.oidc.issuerUrl, fetch, upstream: upstream('oidc'), clock })
      : createStaticKeyResolver(config.oidc.jwksStatic);
  const appJwt = createAppJwtSource({
    appId: config.github.appId,
    signer: appSignerFor(config.github, upstream('kms')),
    clock,
  });
  const mint = createInstallationTokenMinter({
    apiUrl: config.github.apiUrl,
    installationId: config.github.installationId,
    appJwt,
    fetch,
    upstream: upstream('github'),
    onRateLimitRemaining: (remaining) => observer.githubRateLimitRemaining(remaining, 'app'),
  });
  const profiles = startProfiles(config, {
    clock,
    logger,
    fetch,
    upstream: upstream('github'),
    mint,
    onRateLimitRemaining: (remaining) => observer.githubRateLimitRemaining(remaining, 'installation'),
  });
  const { vendor, shared } = await startTokenVendor(config, { clock, logger, fetch, upstream, mint, observer });
  const observed: ObservedState = {
    ...(shared && { valkeyConnected: () => shared.connected() }),
    ...(shared?.keysetLoadedAtMs && { keysetLoadedAtMs: shared.keysetLoadedAtMs }),
    profiles: () => summarizeGeneration(profiles.store),
    ready: () => environment.readiness.state === 'ready',
  };
  metrics?.watch(observed);
  const { port: metricsPort } = config.metrics;
  return {
    options: { basePath: config.server.basePath, trustProxy: config.server.trustProxy, gitHost: config.github.gitHost },
    deps: {
      verifyToken: createTokenVerifier({
        issuer: config.oidc.issuerUrl,
        audience: config.oidc.audience,
        organizationSlug: config.oidc.organizationSlug,
        keys,
        clock,
      }),
      resolveProfile: createProfileResolver(() => profiles.store.current()),
      vendor,
      readiness: environment.readiness,
      writeAudit: createAuditWriter(environment.auditDestination, clock),
      logger,
      observer,
      ...(metrics && metricsPort === undefined && { metrics: metrics.source }),
      ...(tracing && { tracing: tracing.requests }),
    },
    background: {
      profilesLoaded: profiles.profilesLoaded,
      observed,
      ...(metrics && metricsPort !== undefined && { metricsListener: { port: metricsPort, source: metrics.source } }),
      stop: async () => {
        profiles.stop();
        await shared?.stop();
      },
    },
  };
}
