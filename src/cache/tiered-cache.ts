import type { Logger } from 'pino';
import type { TokenCache } from './token-cache.js';

export interface TieredCacheOptions<V> {
  /** The in-process tier, asked first. */
  readonly local: TokenCache<V>;
  /** The tier shared by the fleet (Valkey). Its failures never fail a request. */
  readonly shared: TokenCache<V>;
  /** Until when a value found in the shared tier may be kept locally. */
  readonly storeUntilMs: (value: V) => number;
  readonly logger: Logger;
  /** Told of every shared-tier failure; metrics hang on it. */
  readonly onSharedError?: (operation: 'get' | 'set' | 'invalidate') => void;
}

/**
 * The in-process tier in front of the shared one. A local hit costs no network; a shared
 * hit is copied into the local tier; writes to the shared tier happen after the answer.
 * A shared failure is logged and reported and counts as a miss (get) or as "stored locally
 * only" (set), so a Valkey outage costs no request.
 */
export function createTieredCache<V>(options: TieredCacheOptions<V>): TokenCache<V> {
  const { local, shared, logger } = options;
  const failed = (operation: 'get' | 'set' | 'invalidate', error: unknown) => {
    logger.warn({ err: error, operation }, 'shared cache unavailable');
    options.onSharedError?.(operation);
  };
  return {
    async get(key) {
      const found = await local.get(key);
      if (found !== undefined) return found;
      let value: V | undefined;
      try {
        value = await shared.get(key);
      } catch (error) {
        failed('get', error);
        return undefined;
      }
      if (value !== undefined) await local.set(key, value, options.storeUntilMs(value));
      return value;
    },
    async set(key, value, expiresAtMs) {
      await local.set(key, value, expiresAtMs);
      // Not awaited: the answer never waits for the shared tier; a failure is only logged.
      void shared.set(key, value, expiresAtMs).catch((error: unknown) => failed('set', error));
    },
    async invalidate(key) {
      await local.invalidate(key);
      await shared.invalidate(key).catch((error: unknown) => failed('invalidate', error));
    },
  };
}
