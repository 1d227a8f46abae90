import type { UpstreamCallEvent, UpstreamRetryEvent } from './upstream.js';

/*
 * What the service reports about itself, independent of where it goes: Prometheus
 * (`metrics/`), OpenTelemetry (`telemetry/`), both, or nowhere. Every label value is from a
 * bounded set; a pipeline slug, job, repository or token never appears here.
 */

/** One finished request on a vending route. */
export interface VendObservation {
  /** The route template, e.g. `/token/:profile`, without the base path. */
  readonly route: string;
  /** The resolved profile (`repo:default`, `org:NAME`), or `unknown` when it did not resolve. */
  readonly profile: string;
  readonly outcome: 'issued' | 'unmatched' | 'denied' | 'failed';
  /** The error code class of a denied or failed request (`match_failed`…), `none` otherwise. */
  readonly reason: string;
}

/** One token cache lookup, per tier. */
export interface CacheObservation {
  readonly tier: 'memory' | 'valkey';
  readonly result: 'hit' | 'miss' | 'mismatch' | 'error';
}

/** One answered HTTP request, any route. */
export interface HttpObservation {
  /** The route template, or `unmatched` for a URL no route serves. */
  readonly route: string;
  readonly method: string;
  readonly status: number;
  readonly durationMs: number;
}

/** Push-style observations. Every method is synchronous and must never throw. */
export interface Observer {
  vend(observation: VendObservation): void;
  cacheResult(observation: CacheObservation): void;
  upstreamCall(event: UpstreamCallEvent): void;
  /** One more attempt of an upstream call within a request's retry budget. */
  upstreamRetry(event: UpstreamRetryEvent): void;
  httpRequest(observation: HttpObservation): void;
  /**
   * GitHub's `x-ratelimit-remaining` on its latest answer for `credential`: `app` for the
   * App-JWT calls (minting, installation discovery), `installation` for calls made with an
   * installation token (the profile file), whose budget the vended tokens of that
   * installation share; `account` then names the installation's account (only ever a
   * served account, so the label values stay few).
   */
  githubRateLimitRemaining(remaining: number, credential: GitHubCredential, account?: string): void;
}

/** Which GitHub rate-limit budget an answer reports. */
export type GitHubCredential = 'app' | 'installation';

/** State read when metrics are collected, rather than pushed. */
export interface ObservedState {
  /** Absent without a shared cache. */
  readonly valkeyConnected?: () => boolean;
  /** The current profile generation; `undefined` before the first load or without a profile file. */
  readonly profiles: () => { readonly loadedAtMs: number; readonly valid: number; readonly invalid: number } | undefined;
  /** Whether the instance vends now (readiness `ready`, not `starting` or `draining`). */
  readonly ready?: () => boolean;
  /** When the cache encryption keyset in use was loaded; absent without cache encryption. */
  readonly keysetLoadedAtMs?: () => number | undefined;
}

/** An observer that drops everything: the default when nothing listens. */
export const silentObserver: Observer = {
  vend: () => undefined,
  cacheResult: () => undefined,
  upstreamCall: () => undefined,
  upstreamRetry: () => undefined,
  httpRequest: () => undefined,
  githubRateLimitRemaining: () => undefined,
};

/** Sends every observation to each of `observers`. */
export function fanOutObserver(observers: readonly Observer[]): Observer {
  if (observers.length === 0) return silentObserver;
  if (observers.length === 1 && observers[0] !== undefined) return observers[0];
  return {
    vend: (o) => observers.forEach((observer) => observer.vend(o)),
    cacheResult: (o) => observers.forEach((observer) => observer.cacheResult(o)),
    upstreamCall: (event) => observers.forEach((observer) => observer.upstreamCall(event)),
    upstreamRetry: (event) => observers.forEach((observer) => observer.upstreamRetry(event)),
    httpRequest: (o) => observers.forEach((observer) => observer.httpRequest(o)),
    githubRateLimitRemaining: (remaining, credential, account) =>
      observers.forEach((observer) => observer.githubRateLimitRemaining(remaining, credential, account)),
  };
}
