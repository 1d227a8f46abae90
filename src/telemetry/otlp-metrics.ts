import type { Meter } from '@opentelemetry/api';
import {
  ATTR_HTTP_REQUEST_METHOD,
  ATTR_HTTP_RESPONSE_STATUS_CODE,
  ATTR_HTTP_ROUTE,
  METRIC_HTTP_SERVER_REQUEST_DURATION,
} from '@opentelemetry/semantic-conventions';
import { bracedRoute, unmatchedRoute } from '../http/route-template.js';
import type { Clock } from '../lib/clock.js';
import { durationBucketsSeconds, generationAgeSeconds, secondsOf } from '../lib/observation-units.js';
import type { ObservedState, Observer } from '../lib/observer.js';

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
          [ATTR_HTTP_ROUTE]: bracedRoute(route),
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
      upstreamRetry: ({ upstream, operation, reason }) =>
        instruments.upstreamRetries.add(1, { 'upstream.name': upstream, 'upstream.operation': operation, 'upstream.retry.reason': reason }),
      httpRequest: ({ route, method, status, durationMs }) =>
        instruments.httpDuration.record(secondsOf(durationMs), {
          [ATTR_HTTP_REQUEST_METHOD]: method,
          [ATTR_HTTP_RESPONSE_STATUS_CODE]: status,
          ...(route !== unmatchedRoute && { [ATTR_HTTP_ROUTE]: bracedRoute(route) }),
        }),
      githubRateLimitRemaining: (remaining, credential, account) =>
        instruments.rateLimit.record(remaining, {
          'github.credential': credential,
          ...(account !== undefined && { 'github.account': account }),
        }),
    },
    watch(state) {
      watched = state;
    },
  };
}

/** The pushed instruments. */
function createInstruments(meter: Meter) {
  const seconds = { unit: 's', advice: { explicitBucketBoundaries: [...durationBucketsSeconds] } };
  return {
    upstreamRetries: meter.createCounter('upstream.retries', { description: 'Upstream calls tried again within a request retry budget.' }),
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
      if (generation !== undefined) result.observe(generationAgeSeconds(generation.loadedAtMs, clock.nowMs()));
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
