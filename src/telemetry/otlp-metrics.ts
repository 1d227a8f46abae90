import type { Meter } from '@opentelemetry/api';
import {
  ATTR_HTTP_REQUEST_METHOD,
  ATTR_HTTP_RESPONSE_STATUS_CODE,
  ATTR_HTTP_ROUTE,
  METRIC_HTTP_SERVER_REQUEST_DURATION,
} from '@opentelemetry/semantic-conventions';
import type { Clock } from '../lib/clock.js';
import type { ObservedState, Observer } from '../lib/observer.js';

/** Bucket boundaries in seconds: a cached answer (under 1 ms) up to the 10 s upstream deadline. */
const durationBoundariesSeconds = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** The OTLP side of observation. */
export interface OtlpMetrics {
  readonly observer: Observer;
  /** From now on, reads `state` at every collection (Valkey connected, profile generation). */
  watch(state: ObservedState): void;
}

/**
 * OpenTelemetry instruments fed by the {@link Observer} events. Chinmina's names where it
 * has one (`token.cache.outcome` with `token.cache.result`, `http.server.request.duration`
 * in seconds), dotted OpenTelemetry names for the rest; every attribute value comes from
 * a bounded set, never a slug, repository or token.
 */
export function createOtlpMetrics(meter: Meter, clock: Clock): OtlpMetrics {
  const instruments = createInstruments(meter);
  let watched: ObservedState | undefined;
  observeState(meter, clock, () => watched);
  return {
    observer: {
      vend: ({ route, profile, outcome, reason }) =>
        instruments.vendOutcome.add(1, {
          [ATTR_HTTP_ROUTE]: braced(route),
          'token.profile': profile,
          'token.vend.result': outcome,
          'token.vend.reason': reason,
        }),
      cacheResult: ({ tier, result }) => instruments.cacheOutcome.add(1, { 'token.cache.result': result, 'cache.type': tier }),
      upstreamCall: ({ upstream, operation, outcome, durationMs }) =>
        instruments.upstreamDuration.record(secondsOf(durationMs), {
          'upstream.name': upstream,
          'upstream.operation': operation,
          'upstream.outcome': outcome,
        }),
      httpRequest: ({ route, method, status, durationMs }) =>
        instruments.httpDuration.record(secondsOf(durationMs), {
          [ATTR_HTTP_REQUEST_METHOD]: method,
          [ATTR_HTTP_RESPONSE_STATUS_CODE]: status,
          ...(route !== 'unmatched' && { [ATTR_HTTP_ROUTE]: braced(route) }),
        }),
      githubRateLimitRemaining: (remaining, credential) =>
        instruments.rateLimit.record(remaining, { 'github.credential': credential }),
    },
    watch(state) {
      watched = state;
    },
  };
}

/** The pushed instruments. */
function createInstruments(meter: Meter) {
  const seconds = { unit: 's', advice: { explicitBucketBoundaries: durationBoundariesSeconds } };
  return {
    cacheOutcome: meter.createCounter('token.cache.outcome', { description: 'Token cache lookups by result and tier.' }),
    vendOutcome: meter.createCounter('token.vend.outcome', {
      description: 'Requests on the vending routes by route, resolved profile, result and reason class.',
    }),
    httpDuration: meter.createHistogram(METRIC_HTTP_SERVER_REQUEST_DURATION, {
      ...seconds,
      description: 'Duration of answered HTTP requests.',
    }),
    upstreamDuration: meter.createHistogram('upstream.request.duration', {
      ...seconds,
      description: 'Duration of calls to GitHub, Buildkite, the OIDC issuer, KMS, Secrets Manager and Valkey.',
    }),
    rateLimit: meter.createGauge('github.ratelimit.remaining', {
      description: "GitHub's x-ratelimit-remaining on its latest answer, per credential.",
    }),
  };
}

/** Gauges read at collection time; without a state (or a part of it) they report nothing. */
function observeState(meter: Meter, clock: Clock, state: () => ObservedState | undefined): void {
  meter
    .createObservableGauge('cache.valkey.connected', { description: 'Whether the shared cache accepts commands: 1 or 0.' })
    .addCallback((result) => {
      const connected = state()?.valkeyConnected;
      if (connected !== undefined) result.observe(connected() ? 1 : 0);
    });
  meter
    .createObservableGauge('profile.generation.age', { unit: 's', description: 'Time since the profiles were loaded.' })
    .addCallback((result) => {
      const generation = state()?.profiles();
      if (generation !== undefined) result.observe(Math.max(0, (clock.nowMs() - generation.loadedAtMs) / 1000));
    });
  meter
    .createObservableGauge('profile.count', { description: 'Profiles in the current generation, valid or invalid.' })
    .addCallback((result) => {
      const generation = state()?.profiles();
      if (generation === undefined) return;
      result.observe(generation.valid, { 'profile.state': 'valid' });
      result.observe(generation.invalid, { 'profile.state': 'invalid' });
    });
}

/** A fastify route template in OpenTelemetry's form: `/token/:profile` → `/token/{profile}`. */
function braced(route: string): string {
  return route.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
}

/** Milliseconds as seconds; a clock that stepped back counts as zero. */
function secondsOf(durationMs: number): number {
  return Number.isFinite(durationMs) && durationMs > 0 ? durationMs / 1000 : 0;
}
