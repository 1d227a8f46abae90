import type { Logger } from 'pino';
import type { TieredLookup, TieredTokenCache, TokenCache } from './token-cache.js';

export interface TieredCacheOptions<V> {
  /** The in-process tier, asked first. */
  readonly local: TokenCache<V>;
  /** The tier shared by the fleet (Valkey). Its failures never fail a request. */
  readonly shared: TokenCache<V>;
  /** Until when a value found in the shared tier may be kept locally. */
  readonly storeUntilMs: (value: V) => number;
  readonly logger: Logger;
  /**
   * Whether `set` also writes the shared tier (default true). False when another layer is
   * its one writer (the fleet lock holder stores each minted token), so a mint costs one write.
   */
  readonly writesShared?: boolean;
}

/**
 * The in-process tier (`memory`) in front of the shared one (`valkey`). A local hit costs
 * no network; a shared hit is copied into the local tier; writes to the shared tier happen
 * after the answer. A shared failure is logged and counts as a miss (get) or as "stored
 * locally only" (set), so a Valkey outage costs no request. A lookup says which tiers it
 * asked and what each answered (see {@link TieredTokenCache}).
 */
export function createTieredCache<V>(options: TieredCacheOptions<V>): TieredTokenCache<V> {
  const { local, shared, logger } = options;
  const failed = (operation: 'get' | 'set' | 'invalidate', error: unknown) => {
    logger.warn({ err: error, operation }, 'shared cache unavailable');
  };
  async function lookUp(key: string): Promise<TieredLookup<V>> {
    const found = await local.get(key);
    if (found !== undefined) return { value: found, tiers: [{ tier: 'memory', answer: 'found' }] };
    let value: V | undefined;
    try {
      value = await shared.get(key);
    } catch (error) {
      failed('get', error);
      return { value: undefined, tiers: [{ tier: 'memory', answer: 'absent' }, { tier: 'valkey', answer: 'failed' }] };
    }
    if (value !== undefined) await local.set(key, value, options.storeUntilMs(value));
    const answer = value === undefined ? 'absent' : 'found';
    return { value, tiers: [{ tier: 'memory', answer: 'absent' }, { tier: 'valkey', answer }] };
  }
  return {
    lookUp,
    get: async (key) => (await lookUp(key)).value,
    async set(key, value, expiresAtMs) {
      await local.set(key, value, expiresAtMs);
      if (options.writesShared === false) return;
      // Not awaited: the answer never waits for the shared tier; a failure is only logged.
      void shared.set(key, value, expiresAtMs).catch((error: unknown) => failed('set', error));
    },
    async invalidate(key) {
      await local.invalidate(key);
      await shared.invalidate(key).catch((error: unknown) => failed('invalidate', error));
    },
  };
}
