import { describe, expect, it } from 'vitest';
import type { TokenCache } from '../../src/cache/token-cache.js';
import { createManualClock } from '../../src/lib/clock.js';
import type { CacheResult } from '../../src/vending/cached-vendor.js';
import type { ProfileToken } from '../../src/vending/vendor.js';
import {
  cachedOver,
  capturedLogger,
  countingVendor,
  foreverCache,
  minute,
  profileToken,
  startMs,
  vendRequest,
  widgetUrl,
} from './vend-fixtures.js';

const minTokenLifetimeMs = 45 * minute;

function setUp(tokenLifetimeMs = 60 * minute, cache: TokenCache<ProfileToken> = foreverCache<ProfileToken>().cache) {
  const clock = createManualClock(startMs);
  const results: CacheResult[] = [];
  const { logger, lines } = capturedLogger();
  const inner = countingVendor(async () => ({ kind: 'issued', token: profileToken(clock.nowMs() + tokenLifetimeMs) }));
  const vendor = cachedOver(cache, { clock, minTokenLifetimeMs, logger, onResult: (r) => results.push(r.result) }, inner.vendor);
  return { clock, results, lines, inner, vendor };
}

describe('cached vendor', () => {
  describe('when the cache is cold', () => {
    it('mints once and serves the stored token next time', async () => {
      const { inner, vendor, results } = setUp();
      const first = await vendor(vendRequest());
      await expect(vendor(vendRequest())).resolves.toEqual(first);
      expect(inner.calls).toHaveLength(1);
      expect(results).toEqual(['miss', 'hit']);
    });
  });

  describe('when a token arrives with less than the minimum lifetime left', () => {
    it('returns it but does not store it', async () => {
      const { cache, counts } = foreverCache<ProfileToken>();
      const { inner, vendor } = setUp(30 * minute, cache);
      await expect(vendor(vendRequest())).resolves.toEqual({ kind: 'issued', token: profileToken(startMs + 30 * minute) });
      await vendor(vendRequest());
      expect(inner.calls).toHaveLength(2);
      expect(counts.set).toBe(0);
    });
  });

  describe('when a stored token gets too close to its expiry', () => {
    it('serves it while the minimum remains, then mints a new one', async () => {
      const { clock, inner, vendor, results } = setUp(60 * minute);
      await vendor(vendRequest());
      clock.advanceMs(15 * minute);
      await expect(vendor(vendRequest())).resolves.toEqual({ kind: 'issued', token: profileToken(startMs + 60 * minute) });
      expect(inner.calls).toHaveLength(1);
      clock.advanceMs(1);
      await expect(vendor(vendRequest())).resolves.toEqual({
        kind: 'issued',
        token: profileToken(startMs + 75 * minute + 1),
      });
      expect(inner.calls).toHaveLength(2);
      expect(results.slice(0, 2)).toEqual(['miss', 'hit']);
    });
  });

  describe('when git asks about another repository than the cached token’s', () => {
    it('answers unmatched without asking the inner chain', async () => {
      const { inner, vendor, results } = setUp();
      await vendor(vendRequest());
      await expect(vendor(vendRequest({ requestedRepositoryUrl: 'https://github.com/acme/gadget' }))).resolves.toEqual({ kind: 'unmatched' });
      expect(inner.calls).toHaveLength(1);
      expect(results).toEqual(['miss', 'mismatch']);
    });

    it('asks the inner chain once the cached token is no longer servable', async () => {
      const { clock, inner, vendor, results } = setUp();
      await vendor(vendRequest());
      clock.advanceMs(15 * minute + 1);
      await vendor(vendRequest({ requestedRepositoryUrl: 'https://github.com/acme/gadget' }));
      expect(inner.calls).toHaveLength(2);
      expect(results).toEqual(['miss', 'miss']);
    });

    it('serves the cached token when git asks about its repository', async () => {
      const { inner, vendor } = setUp();
      await vendor(vendRequest());
      await vendor(vendRequest({ requestedRepositoryUrl: widgetUrl }));
      expect(inner.calls).toHaveLength(1);
    });
  });

  describe('when the inner chain answers unmatched', () => {
    it('stores nothing', async () => {
      const { cache, counts } = foreverCache<ProfileToken>();
      const inner = countingVendor(async () => ({ kind: 'unmatched' }));
      const vendor = cachedOver(cache, { clock: createManualClock(startMs), minTokenLifetimeMs }, inner.vendor);
      await expect(vendor(vendRequest())).resolves.toEqual({ kind: 'unmatched' });
      expect(counts.set).toBe(0);
    });
  });

  describe('when the cache fails', () => {
    it('still answers the request, logging a warning for the get and the set', async () => {
      const broken: TokenCache<ProfileToken> = {
        get: () => Promise.reject(new Error('cache down')),
        set: () => Promise.reject(new Error('cache down')),
      };
      const { inner, vendor, lines, results } = setUp(60 * minute, broken);
      await expect(vendor(vendRequest())).resolves.toEqual({ kind: 'issued', token: profileToken(startMs + 60 * minute) });
      expect(inner.calls).toHaveLength(1);
      expect(lines.map((line) => line.msg)).toEqual(['cache get failed', 'cache set failed']);
      expect(results).toContain('error');
    });
  });

  describe('when it reports cache results', () => {
    it('reports exactly one result per lookup', async () => {
      const failingGet: TokenCache<ProfileToken> = {
        get: () => Promise.reject(new Error('cache down')),
        set: () => Promise.resolve(),
      };
      const broken = setUp(60 * minute, failingGet);
      await broken.vendor(vendRequest());
      expect(broken.results).toHaveLength(1);

      const aging = setUp(60 * minute);
      await aging.vendor(vendRequest());
      aging.clock.advanceMs(15 * minute + 1);
      await aging.vendor(vendRequest());
      expect(aging.results).toHaveLength(2);
    });
  });
});
