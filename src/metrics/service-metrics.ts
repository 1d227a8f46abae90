import { collectDefaultMetrics, Registry } from 'prom-client';
import type { Clock } from '../lib/clock.js';
import { secondsOf } from '../lib/observation-units.js';
import type { Observer, ObservedState } from '../lib/observer.js';
import { createInstruments, type Instruments } from './instruments.js';
import type { MetricsSource } from './metrics-source.js';
import { registerStateGauges } from './state-gauges.js';

/** The Prometheus side of observation: one registry per instance. */
export interface ServiceMetrics {
  /** Receives the pushed observations. */
  readonly observer: Observer;
  /** The page `/metrics` serves. */
  readonly source: MetricsSource;
  /** From now on, reads `state` at every collection (Valkey connected, profile generation). */
  watch(state: ObservedState): void;
}

export interface ServiceMetricsOptions {
  /** For the profile generation's age. */
  readonly clock: Clock;
}

/**
 * A registry of its own (never prom-client's global one, so two instances can live in one
 * process) with the process and Node.js runtime defaults, the token-bridge instruments and
 * the collect-time gauges.
 */
export function createServiceMetrics(options: ServiceMetricsOptions): ServiceMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const instruments = createInstruments(registry);
  let watched: ObservedState | undefined;
  registerStateGauges(registry, options.clock, () => watched);
  return {
    observer: metricsObserver(instruments),
    source: { contentType: registry.contentType, render: () => registry.metrics() },
    watch(state) {
      watched = state;
      // Known series start at zero, so a rate over them exists before the first event.
      for (const tier of state.valkeyConnected === undefined ? ['memory'] : ['memory', 'valkey']) {
        for (const result of ['hit', 'miss', 'mismatch', 'error']) instruments.cacheResults.inc({ tier, result }, 0);
      }
    },
  };
}

/** Turns observations into instrument updates; durations arrive in ms and go out in seconds. */
export function metricsObserver(instruments: Instruments): Observer {
  return {
    vend: ({ route, profile, outcome, reason }) => instruments.vends.inc({ route, profile, outcome, reason }),
    cacheResult: ({ tier, result }) => instruments.cacheResults.inc({ tier, result }),
    upstreamCall: ({ upstream, operation, outcome, durationMs }) => {
      instruments.upstreamDuration.observe({ upstream, operation, outcome }, secondsOf(durationMs));
      if (outcome !== 'ok') instruments.upstreamErrors.inc({ upstream, operation, outcome });
    },
    httpRequest: ({ route, method, status, durationMs }) =>
      instruments.httpDuration.observe({ route, method, status: String(status) }, secondsOf(durationMs)),
    githubRateLimitRemaining: (remaining, credential, account) =>
      instruments.githubRateLimitRemaining.set({ credential, ...(account !== undefined && { account }) }, remaining),
  };
}
