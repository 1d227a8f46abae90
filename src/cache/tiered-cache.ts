import type { Logger } from 'pino';
import type { TieredLookup, TokenCache } from './token-cache.js';

export interface TieredCacheOptions<V> {
  /** The in-process tier, asked first. */
  readonly local: TokenCache<V>;
  /** The tier shared by the fleet (Valkey). Its failures never fail a request. */
  readonly shared: TokenCache<V>;
  /** Until when a value found in the shared tier may be kept locally. */
  readonly keepLocallyUntilMs: (value: V) => number;
  readonly logger: Logger;
}

/**
 * Looks a key up in the in-process tier (`memory`), then in the shared one (`valkey`). A
 * local hit costs no network; a shared hit is copied into the local tier. A shared failure
 * is logged and reads as a miss, so a Valkey outage costs no request. Never throws.
 */
export function createTieredLookup<V>(options: TieredCacheOptions<V>): (key: string) => Promise<TieredLookup<V>> {
  const { local, shared, logger } = options;
  return async (key) => {
    const found = await local.get(key);
    if (found !== undefined) return { value: found, tiers: [{ tier: 'memory', answer: 'found' }] };
    let value: V | undefined;
    try {
      value = await shared.get(key);
    } catch (error) {
      logger.warn({ err: error, operation: 'get' }, 'shared cache unavailable');
      return { value: undefined, tiers: [{ tier: 'memory', answer: 'absent' }, { tier: 'valkey', answer: 'failed' }] };
    }
    if (value !== undefined) await local.set(key, value, options.keepLocallyUntilMs(value));
    const answer = value === undefined ? 'absent' : 'found';
    return { value, tiers: [{ tier: 'memory', answer: 'absent' }, { tier: 'valkey', answer }] };
  };
}
