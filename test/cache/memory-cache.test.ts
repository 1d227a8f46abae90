import { describe, expect, it } from 'vitest';
import { createMemoryCache } from '../../src/cache/memory-cache.js';
import { createManualClock } from '../../src/lib/clock.js';

const startMs = Date.UTC(2026, 10, 23, 18, 0, 0);
const value = (name: string) => ({ name });

describe('memory cache', () => {
  describe('when an entry is stored', () => {
    it('serves it until the time it was stored with', async () => {
      const clock = createManualClock(startMs);
      const cache = createMemoryCache<{ name: string }>({ clock });
      await cache.set('k', value('a'), startMs + 60_000);
      clock.advanceMs(59_999);
      await expect(cache.get('k')).resolves.toEqual(value('a'));
    });

    it('stops serving it as soon as the injected clock passes that time', async () => {
      const clock = createManualClock(startMs);
      const cache = createMemoryCache<{ name: string }>({ clock });
      await cache.set('k', value('a'), startMs + 60_000);
      await expect(cache.get('k')).resolves.toEqual(value('a'));
      clock.advanceMs(60_001);
      await expect(cache.get('k')).resolves.toBeUndefined();
    });

    it('stores nothing when the time is not in the future', async () => {
      const clock = createManualClock(startMs);
      const cache = createMemoryCache<{ name: string }>({ clock });
      await cache.set('past', value('a'), startMs - 1);
      await cache.set('now', value('b'), startMs);
      await expect(cache.get('past')).resolves.toBeUndefined();
      await expect(cache.get('now')).resolves.toBeUndefined();
    });

    it('replaces an entry stored under the same key', async () => {
      const cache = createMemoryCache<{ name: string }>({ clock: createManualClock(startMs) });
      await cache.set('k', value('a'), startMs + 60_000);
      await cache.set('k', value('b'), startMs + 60_000);
      await expect(cache.get('k')).resolves.toEqual(value('b'));
    });
  });

  describe('when more than maxEntries are stored', () => {
    it('drops the least recently used entry first', async () => {
      const cache = createMemoryCache<{ name: string }>({ clock: createManualClock(startMs), maxEntries: 2 });
      await cache.set('a', value('a'), startMs + 60_000);
      await cache.set('b', value('b'), startMs + 60_000);
      await cache.get('a');
      await cache.set('c', value('c'), startMs + 60_000);
      await expect(cache.get('b')).resolves.toBeUndefined();
      await expect(cache.get('a')).resolves.toEqual(value('a'));
      await expect(cache.get('c')).resolves.toEqual(value('c'));
    });
  });
});
