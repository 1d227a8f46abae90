import type { FastifyInstance } from 'fastify';
import type { DestinationStream, Logger } from 'pino';
import { buildApp } from './app.js';
import { createAuditWriter } from './audit/audit-writer.js';
import { lazyAwsClients } from './compose/aws-clients.js';
import { composeGitHubApp } from './compose/github.js';
import { composeMintLimit } from './compose/mint-limit.js';
import { createPooledFetch } from './compose/pooled-fetch.js';
import { startProfiles } from './compose/profiles.js';
import { startTokenStore } from './compose/token-store.js';
import type { Config } from './config/load-config.js';
import { buildMetricsApp } from './http/metrics-app.js';
import type { Clock } from './lib/clock.js';
import { fanOutObserver, type ObservedState, type Observer } from './lib/observer.js';
import { retryBudgets } from './lib/retry-budget.js';
import { createUpstream, type Fetch, type UpstreamName } from './lib/upstream.js';
import type { Readiness } from './lifecycle/readiness.js';
import { createServiceMetrics } from './metrics/service-metrics.js';
import { createPipelineRepositoryLookup } from './pipeline/buildkite-pipelines.js';
import { createDiscoveryKeyResolver, createStaticKeyResolver } from './oidc/key-resolver.js';
import { createTokenVerifier } from './oidc/token-verifier.js';
import { createProfileResolver } from './profile/profile-resolver.js';
import { summarizeGeneration } from './profile/profile-store.js';
import { startTelemetry, type Telemetry } from './telemetry/start-telemetry.js';
import { createVend } from './vending/vend.js';
import { composeVendingChains } from './vending/vending-chains.js';

/** What the composition root takes from the process (or from a test). */
export interface Environment {
  readonly clock: Clock;
  readonly readiness: Readiness;
  /** Where audit lines go (stdout in production). */
  readonly auditDestination: DestinationStream;
  readonly logger: Logger;
  /** Outbound HTTP; defaults to a pooled client honouring `SERVER_OUTGOING_*`. */
  readonly fetch?: Fetch;
  /** Observations beyond those the configuration turns on (Prometheus, OpenTelemetry). */
  readonly observer?: Observer;
  /** A telemetry the caller started and stops (tests); otherwise `OBSERVE_*` decides. */
  readonly telemetry?: Telemetry;
}

/** The service, built and not yet listening. */
export interface Service {
  readonly app: FastifyInstance;
  /** With `METRICS_PORT`: the application that serves `/metrics` on that port. */
  readonly metrics?: { readonly port: number; readonly app: FastifyInstance };
  /**
   * Resolves once the instance may vend: profiles loaded and the default installation's
   * account known. Rejects (handled) when stopped before.
   */
  readonly ready: Promise<void>;
  /** State read when observations are collected (Valkey connected, the profile generation). */
  readonly observed: ObservedState;
  /** The telemetry this service started from `OBSERVE_*`, for the caller to flush on exit. */
  readonly telemetry: Telemetry | undefined;
  /** Stops the background work (profile refresh, installation lookup, the shared cache); not the telemetry. */
  stop(): Promise<void>;
}

/**
 * The composition root: every part of the service wired from configuration, in one place
 * that `main.ts`, the demo and the test harness all call. OpenTelemetry starts first, so
 * every client is built with its spans. Asynchronous only for what must be right before
 * serving (the cache encryption keyset); throws when that cannot be loaded, having
 * stopped what it started.
 */
export async function buildService(config: Config, environment: Environment): Promise<Service> {
  const { clock, logger } = environment;
  const telemetry = environment.telemetry === undefined ? await startTelemetry(config.observe, { logger, clock }) : undefined;
  try {
    return await wire(config, environment, environment.telemetry ?? telemetry, telemetry);
  } catch (error) {
    await telemetry?.shutdown();
    throw error;
  }
}

async function wire(config: Config, environment: Environment, telemetry: Telemetry | undefined, owned: Telemetry | undefined): Promise<Service> {
  const { clock, logger } = environment;
  const tracing = telemetry?.tracing;
  const untracedFetch = environment.fetch ?? createPooledFetch(config);
  const fetch = tracing?.traceFetch?.(untracedFetch) ?? untracedFetch;
  const metrics = config.metrics.enabled ? createServiceMetrics({ clock }) : undefined;
  const observers = [metrics?.observer, environment.observer, telemetry?.metrics?.observer];
  const observer = fanOutObserver(observers.filter((o) => o !== undefined));
  const upstream = (name: UpstreamName) =>
    createUpstream({
      name,
      clock,
      timeoutMs: config.server.outgoing.timeoutMs,
      observe: (event) => observer.upstreamCall(event),
      observeRetry: (event) => observer.upstreamRetry(event),
      ...(tracing && { tracer: tracing.upstreams }),
    });
  const aws = lazyAwsClients();
  const { timeoutMs: attemptTimeoutMs, retryBudgetMs: budgetMs } = config.server.outgoing;
  const retryBudget = retryBudgets({ clock, budgetMs, attemptTimeoutMs });

  const keys =
    config.oidc.jwksStatic === undefined
      ? createDiscoveryKeyResolver({ issuerUrl: config.oidc.issuerUrl, fetch, upstream: upstream('oidc'), clock })
      : createStaticKeyResolver(config.oidc.jwksStatic);
  const { mint, installations } = await composeGitHubApp(config, {
    clock,
    logger,
    fetch,
    upstream,
    aws,
    onAppRateLimitRemaining: (remaining) => observer.githubRateLimitRemaining(remaining, 'app'),
  });
  const profiles = startProfiles(config, {
    clock,
    logger,
    fetch,
    upstream: upstream('github'),
    installations,
    mint,
    retryBudget,
    onRateLimitRemaining: (remaining, account) => observer.githubRateLimitRemaining(remaining, 'installation', account),
  });
  const { store, shared } = await startTokenStore(config, { clock, logger, upstream, aws }).catch((error: unknown) => {
    profiles.stop();
    installations.stop();
    throw error;
  });
  const { gitHost } = config.github;
  const chains = composeVendingChains({
    store,
    clock,
    minTokenLifetimeMs: config.cache.minTokenLifetimeMs,
    failureTtlMs: config.cache.failureTtlMs,
    mintLimit: composeMintLimit(config, { clock, logger, shared }),
    gitHost,
    lookupRepository: createPipelineRepositoryLookup({ ...config.buildkite, fetch, upstream: upstream('buildkite') }),
    installations,
    mint,
    retryBudget,
    onCacheResult: (observation) => observer.cacheResult(observation),
  });
  const { issuerUrl: issuer, audience, organizationSlug } = config.oidc;
  const observed: ObservedState = {
    ...(shared && { valkeyConnected: () => shared.connected() }),
    ...(shared?.keysetLoadedAtMs && { keysetLoadedAtMs: shared.keysetLoadedAtMs }),
    profiles: () => summarizeGeneration(profiles.store),
    ready: () => environment.readiness.state === 'ready',
  };
  metrics?.watch(observed);
  telemetry?.metrics?.watch(observed);
  const metricsPort = config.metrics.port;
  const app = buildApp(
    {
      basePath: config.server.basePath,
      trustedProxyHops: config.server.trustedProxyHops,
      requestBodyTimeoutMs: config.server.requestBodyTimeoutMs,
      gitHost,
    },
    {
      verifyToken: createTokenVerifier({ issuer, audience, organizationSlug, keys, clock }),
      vend: createVend({ chains, resolveProfile: createProfileResolver(() => profiles.store.current(), installations), gitHost }),
      readiness: environment.readiness,
      writeAudit: createAuditWriter(environment.auditDestination, clock),
      logger,
      observer,
      ...(metrics && metricsPort === undefined && { metrics: metrics.source }),
      ...(tracing && { tracing: tracing.requests }),
    },
  );
  return {
    app,
    ...(metrics && metricsPort !== undefined && { metrics: { port: metricsPort, app: buildMetricsApp(metrics.source) } }),
    ready: readyOnceAll([profiles.profilesLoaded, installations.defaultAccountKnown]),
    observed,
    telemetry: owned,
    stop: async () => {
      profiles.stop();
      installations.stop();
      await shared?.stop();
    },
  };
}

/** Resolves when every one of `steps` has; a rejection is handled here, never unhandled. */
function readyOnceAll(steps: readonly Promise<void>[]): Promise<void> {
  const all = Promise.all(steps).then(() => undefined);
  all.catch(() => undefined);
  return all;
}
