import { describe, expect, it } from 'vitest';
import { createMemoryCache } from '../../src/cache/memory-cache.js';
import type { TokenCache } from '../../src/cache/token-cache.js';
import { createManualClock } from '../../src/lib/clock.js';
import type { CacheObservation } from '../../src/lib/observer.js';
import { cachedVendor } from '../../src/vending/cached-vendor.js';
import { createFleetTokenStore, type FleetLock } from '../../src/vending/fleet-token-store.js';
import type { ProfileToken } from '../../src/vending/vendor.js';
import { capturedLogger, countingVendor, minute, profileToken, startMs, vendRequest } from './vend-fixtures.js';

const minTokenLifetimeMs = 45 * minute;

/** A fleet lock every instance gets at once: each mints for itself and stores in the shared tier. */
const uncontendedLock: FleetLock = {
  acquire: async () => 'holder',
  release: async () => undefined,
  held: async () => false,
};

/** The cached vendor over two tiers; the in-process cache also stands in for the shared one. */
function setUp(shared: TokenCache<ProfileToken>) {
  const clock = createManualClock(startMs);
  const { logger } = capturedLogger();
  const observations: CacheObservation[] = [];
  const local = createMemoryCache<ProfileToken>({ clock });
  const gitHost = 'github.com';
  const store = createFleetTokenStore({ local, shared, lock: uncontendedLock, clock, minTokenLifetimeMs, gitHost, logger });
  const inner = countingVendor(async () => ({ kind: 'issued', token: profileToken(clock.nowMs() + 60 * minute) }));
  const vendor = cachedVendor({ store, clock, minTokenLifetimeMs, gitHost, onResult: (o) => observations.push(o) }, inner.vendor);
  return { clock, observations, inner, vendor };
}

describe('cached vendor over two tiers', () => {
  it('reports a result for each tier a lookup asked', async () => {
    const clock = createManualClock(startMs);
    const shared = createMemoryCache<ProfileToken>({ clock });
    const fleet = setUp(shared);
    const other = setUp(shared);

    await fleet.vendor(vendRequest());
    await other.vendor(vendRequest());
    await other.vendor(vendRequest());

    expect(fleet.observations).toEqual([
      { tier: 'memory', result: 'miss' },
      { tier: 'valkey', result: 'miss' },
    ]);
    expect(other.observations).toEqual([
      { tier: 'memory', result: 'miss' },
      { tier: 'valkey', result: 'hit' },
      { tier: 'memory', result: 'hit' },
    ]);
    expect(other.inner.calls).toHaveLength(0);
  });

  it('reports a shared tier that fails as a valkey error, and mints', async () => {
    const down: TokenCache<ProfileToken> = {
      get: () => Promise.reject(new Error('valkey down')),
      set: () => Promise.reject(new Error('valkey down')),
    };
    const { observations, inner, vendor } = setUp(down);
    await expect(vendor(vendRequest())).resolves.toMatchObject({ kind: 'issued' });
    expect(observations).toEqual([
      { tier: 'memory', result: 'miss' },
      { tier: 'valkey', result: 'error' },
    ]);
    expect(inner.calls).toHaveLength(1);
  });

  it('reports a fresh entry for other repositories as a mismatch in the tier that held it', async () => {
    const clock = createManualClock(startMs);
    const { observations, vendor } = setUp(createMemoryCache<ProfileToken>({ clock }));
    await vendor(vendRequest());
    await vendor(vendRequest({ requestedRepositoryUrl: 'https://github.com/acme/other' }));
    expect(observations.at(-1)).toEqual({ tier: 'memory', result: 'mismatch' });
  });
});
