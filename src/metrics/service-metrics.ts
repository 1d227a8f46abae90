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

/**
 * Turns observations into instrument updates; durations arrive in ms and go out in seconds.
 * The series of the per-request instruments are looked up once per label set and kept
 * (every label takes values from a bounded set), so an update is a map lookup and an add.
 */
export function metricsObserver(instruments: Instruments): Observer {
  const vends = seriesOf((labels: { route: string; profile: string; outcome: string; reason: string }) => instruments.vends.labels(labels));
  const cacheResults = seriesOf((labels: { tier: string; result: string }) => instruments.cacheResults.labels(labels));
  const httpDurations = seriesOf((labels: { route: string; method: string; status: string }) => instruments.httpDuration.labels(labels));
  return {
    vend: ({ route, profile, outcome, reason }) => vends(`${route}\n${profile}\n${outcome}\n${reason}`, { route, profile, outcome, reason }).inc(),
    cacheResult: ({ tier, result }) => cacheResults(`${tier}\n${result}`, { tier, result }).inc(),
    upstreamCall: ({ upstream, operation, outcome, durationMs }) => {
      instruments.upstreamDuration.observe({ upstream, operation, outcome }, secondsOf(durationMs));
      if (outcome !== 'ok') instruments.upstreamErrors.inc({ upstream, operation, outcome });
    },
    upstreamRetry: ({ upstream, operation, reason }) => instruments.upstreamRetries.inc({ upstream, operation, reason }),
    httpRequest: ({ route, method, status, durationMs }) =>
      httpDurations(`${route}\n${method}\n${status}`, { route, method, status: String(status) }).observe(secondsOf(durationMs)),
    githubRateLimitRemaining: (remaining, credential, account) =>
      instruments.githubRateLimitRemaining.set({ credential, ...(account !== undefined && { account }) }, remaining),
  };
}

/** One instrument's series by label set, made on first use and kept; `key` names the label set. */
function seriesOf<L, S>(make: (labels: L) => S): (key: string, labels: L) => S {
  const series = new Map<string, S>();
  return (key, labels) => {
    let found = series.get(key);
    if (found === undefined) {
      found = make(labels);
      series.set(key, found);
    }
    return found;
  };
}
