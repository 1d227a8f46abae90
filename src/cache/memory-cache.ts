import { LRUCache } from 'lru-cache';
import type { Clock } from '../lib/clock.js';
import type { TokenCache } from './token-cache.js';

export interface MemoryCacheOptions {
  readonly clock: Clock;
  /** Entries kept at most; the least recently used go first. */
  readonly maxEntries?: number;
}

/** The in-process tier: an LRU of at most 10,000 entries whose expiry follows the injected clock. */
export function createMemoryCache<V>(options: MemoryCacheOptions): TokenCache<V> {
  const { clock } = options;
  // The expiry is kept beside the value and checked on read: lru-cache still serves an entry
  // at the very millisecond its TTL ends, and "never after" must hold to the millisecond.
  const entries = new LRUCache<string, { value: V; expiresAtMs: number }>({
    max: options.maxEntries ?? 10_000,
    ttlAutopurge: false,
    perf: { now: () => clock.nowMs() },
  });
  return {
    get: (key) => {
      const entry = entries.get(key);
      return Promise.resolve(entry !== undefined && clock.nowMs() < entry.expiresAtMs ? entry.value : undefined);
    },
    set: (key, value, expiresAtMs) => {
      const ttl = expiresAtMs - clock.nowMs();
      if (ttl > 0) entries.set(key, { value, expiresAtMs }, { ttl });
      return Promise.resolve();
    },
  };
}
