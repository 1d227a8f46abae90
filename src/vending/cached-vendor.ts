import type { Logger } from 'pino';
import type { TieredLookup, TieredTokenCache, TokenCache } from '../cache/token-cache.js';
import type { Clock } from '../lib/clock.js';
import type { CacheObservation } from '../lib/observer.js';
import { servedFromCache } from './cache-coverage.js';
import { cacheKeyOf, expiresAtMsOf, type ProfileToken, type Vendor } from './vendor.js';

/** How a cache lookup went in one tier; metrics hang on this. */
export type CacheResult = CacheObservation['result'];

export interface CachedVendorOptions {
  /** A plain cache counts as the `memory` tier; a tiered one says which tiers it asked. */
  readonly cache: TokenCache<ProfileToken> | TieredTokenCache<ProfileToken>;
  readonly clock: Clock;
  /** A token is served from the cache only while at least this much of its life remains. */
  readonly minTokenLifetimeMs: number;
  readonly logger: Logger;
  /** Decides whether a cached organization token covers the repository git asked about. */
  readonly gitHost: string;
  /** Told, for every lookup, the result in each tier the lookup asked (see {@link resultsOf}). */
  readonly onResult?: (observation: CacheObservation) => void;
}

/**
 * Serves a cached token for the request's key while it has at least the minimum lifetime
 * left and covers the requested repository; otherwise asks the inner chain and stores what
 * it issues until the minimum lifetime would be breached. A token that arrives with less
 * than the minimum is returned but not stored. Cache failures never fail the request.
 */
export function cachedVendor(options: CachedVendorOptions, inner: Vendor): Vendor {
  const { cache, clock, minTokenLifetimeMs, logger } = options;
  const report = options.onResult ?? (() => undefined);
  return async (request) => {
    const key = cacheKeyOf(request.resolved);
    const lookup = await lookUp(key);
    const cached = lookup.value !== undefined && isFresh(lookup.value) ? lookup.value : undefined;
    const served =
      cached === undefined
        ? undefined
        : servedFromCache(cached, request.resolved, request.requestedRepositoryUrl, options.gitHost);
    for (const observation of resultsOf(lookup, cached !== undefined, served !== undefined)) report(observation);
    if (served !== undefined) return { kind: 'issued', token: served };

    const vended = await inner(request);
    if (vended.kind === 'issued') {
      const storeUntilMs = expiresAtMsOf(vended.token) - minTokenLifetimeMs;
      if (storeUntilMs > clock.nowMs()) {
        try {
          await cache.set(key, vended.token, storeUntilMs);
        } catch (error) {
          logger.warn({ err: error, key }, 'cache set failed');
        }
      }
    }
    return vended;
  };

  async function lookUp(key: string): Promise<TieredLookup<ProfileToken>> {
    if ('lookUp' in cache) return cache.lookUp(key);
    try {
      const value = await cache.get(key);
      return { value, tiers: [{ tier: 'memory', answer: value === undefined ? 'absent' : 'found' }] };
    } catch (error) {
      logger.warn({ err: error, key }, 'cache get failed');
      return { value: undefined, tiers: [{ tier: 'memory', answer: 'failed' }] };
    }
  }

  /** A cached token still holding the minimum lifetime; an older one counts as absent. */
  function isFresh(token: ProfileToken): boolean {
    return expiresAtMsOf(token) - clock.nowMs() >= minTokenLifetimeMs;
  }
}

/**
 * One result per tier asked: `error` for a tier that failed; for the tier that found an
 * entry, `hit` when it was served, `mismatch` when it was fresh but does not cover the
 * requested repository (the inner chain then answers, typically "unmatched"), `miss` when
 * it had too little lifetime left; `miss` for a tier that had nothing.
 */
export function resultsOf(lookup: TieredLookup<ProfileToken>, fresh: boolean, served: boolean): CacheObservation[] {
  return lookup.tiers.map(({ tier, answer }) => {
    if (answer === 'failed') return { tier, result: 'error' };
    if (answer === 'absent' || !fresh) return { tier, result: 'miss' };
    return { tier, result: served ? 'hit' : 'mismatch' };
  });
}
