import type { Logger } from 'pino';
import type { TokenCache } from '../cache/token-cache.js';
import type { Clock } from '../lib/clock.js';
import { cacheKeyOf, expiresAtMsOf, type ProfileToken, type Vendor } from './vendor.js';

/** How a cache lookup went; metrics hang on this. */
export type CacheResult = 'hit' | 'miss' | 'mismatch' | 'error';

export interface CachedVendorOptions {
  readonly cache: TokenCache<ProfileToken>;
  readonly clock: Clock;
  /** A token is served from the cache only while at least this much of its life remains. */
  readonly minTokenLifetimeMs: number;
  readonly logger: Logger;
  readonly onResult?: (result: CacheResult) => void;
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
    const cached = await lookUp(key);
    const lookup = classify(cached, request.requestedRepositoryUrl);
    report(lookup);
    if (lookup === 'hit' && cached !== undefined && cached !== 'error') return { kind: 'issued', token: cached };

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

  async function lookUp(key: string): Promise<ProfileToken | 'error' | undefined> {
    try {
      return await cache.get(key);
    } catch (error) {
      logger.warn({ err: error, key }, 'cache get failed');
      return 'error';
    }
  }

  /** Exactly one result per lookup; an entry past the minimum lifetime is a miss. */
  function classify(cached: ProfileToken | 'error' | undefined, requested: string | undefined): CacheResult {
    if (cached === 'error') return 'error';
    if (cached === undefined || expiresAtMsOf(cached) - clock.nowMs() < minTokenLifetimeMs) return 'miss';
    // A pipeline token covers exactly the pipeline's repository; git asking for another
    // one falls through to the inner chain, which answers "unmatched" without minting.
    return requested === undefined || requested === cached.repositoryUrl ? 'hit' : 'mismatch';
  }
}
