import type { Logger } from 'pino';
import type { TokenCache } from '../cache/token-cache.js';
import type { Clock } from '../lib/clock.js';
import { servedFromCache } from './cache-coverage.js';
import { cacheKeyOf, expiresAtMsOf, type ProfileToken, type Vendor } from './vendor.js';

/** How a cache lookup went; metrics hang on this. */
export type CacheResult = 'hit' | 'miss' | 'mismatch' | 'error';

export interface CachedVendorOptions {
  readonly cache: TokenCache<ProfileToken>;
  readonly clock: Clock;
  /** A token is served from the cache only while at least this much of its life remains. */
  readonly minTokenLifetimeMs: number;
  readonly logger: Logger;
  /** Decides whether a cached organization token covers the repository git asked about. */
  readonly gitHost: string;
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
    const served = isToken(cached)
      ? servedFromCache(cached, request.resolved, request.requestedRepositoryUrl, options.gitHost)
      : undefined;
    report(classify(cached, served));
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

  async function lookUp(key: string): Promise<ProfileToken | 'error' | undefined> {
    try {
      return await cache.get(key);
    } catch (error) {
      logger.warn({ err: error, key }, 'cache get failed');
      return 'error';
    }
  }

  /** A cached token still holding the minimum lifetime; an older one counts as absent. */
  function isToken(cached: ProfileToken | 'error' | undefined): cached is ProfileToken {
    return cached !== undefined && cached !== 'error' && expiresAtMsOf(cached) - clock.nowMs() >= minTokenLifetimeMs;
  }

  /** Exactly one result per lookup. A mismatch falls through to the inner chain, which
   * answers "unmatched" for a repository the profile does not cover. */
  function classify(cached: ProfileToken | 'error' | undefined, served: ProfileToken | undefined): CacheResult {
    if (cached === 'error') return 'error';
    if (served !== undefined) return 'hit';
    return isToken(cached) ? 'mismatch' : 'miss';
  }
}
