import { LRUCache } from 'lru-cache';
import type { Clock } from '../lib/clock.js';
import type { TokenCache } from './token-cache.js';

export interface MemoryCacheOptions {
  readonly clock: Clock;
  /** Entries kept at most; the least recently used go first. */
  readonly maxEntries?: number;
}

/** The in-process tier: an LRU of at most 10,000 entries whose expiry follows the injected clock. */
export function createMemoryCache<V extends object>(options: MemoryCacheOptions): TokenCache<V> {
  const { clock } = options;
  const entries = new LRUCache<string, V>({
    max: options.maxEntries ?? 10_000,
    ttlAutopurge: false,
    perf: { now: () => clock.nowMs() },
  });
  return {
    get: (key) => Promise.resolve(entries.get(key)),
    set: (key, value, expiresAtMs) => {
      const ttl = expiresAtMs - clock.nowMs();
      if (ttl > 0) entries.set(key, value, { ttl });
      return Promise.resolve();
    },
    invalidate: (key) => {
      entries.delete(key);
      return Promise.resolve();
    },
  };
}
