import { describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { Writable } from 'node:stream';
import { createManualClock } from '../../src/lib/clock.js';
import { createMemoryCache } from '../../src/cache/memory-cache.js';
import { createFleetTokenStore, type FleetLock } from '../../src/vending/fleet-token-store.js';
import { cacheKeyOf, type ProfileToken, type ResolvedPipelineProfile, type Vendor } from '../../src/vending/vendor.js';
import { countingVendor, foreverCache, minute, profileToken, resolvedProfile, startMs, vendRequest } from './vend-fixtures.js';

const logger = pino({ level: 'silent' }, new Writable({ write: (_chunk, _encoding, done) => done() }));
const key = cacheKeyOf(resolvedProfile());

/** A lock held by a scripted holder: `acquire` answers as told. */
function scriptedLock(acquired: string | undefined, heldAnswers: boolean[] = []): FleetLock & { released: string[] } {
  const released: string[] = [];
  return {
    released,
    acquire: async () => acquired,
    release: async (_key, token) => {
      released.push(token);
    },
    held: async () => heldAnswers.shift() ?? false,
  };
}

function vendorWith(lock: FleetLock) {
  const clock = createManualClock(startMs);
  const { cache: shared } = foreverCache<ProfileToken>();
  const writes: string[] = [];
  const write = shared.set.bind(shared);
  shared.set = async (k, value, untilMs) => {
    writes.push(value.token);
    return write(k, value, untilMs);
  };
  const inner = countingVendor(async () => ({ kind: 'issued', token: profileToken(clock.nowMs() + 60 * minute) }));
  // Waiting moves the clock on, so a holder that never stores lets the wait run out.
  const sleep = async (ms: number) => clock.advanceMs(ms);
  const local = createMemoryCache<ProfileToken>({ clock });
  const store = createFleetTokenStore({ local, shared, lock, clock, minTokenLifetimeMs: 45 * minute, gitHost: 'github.com', logger, sleep });
  // What the cache stage asks of the store on a miss.
  const vendor: Vendor<ResolvedPipelineProfile> = (request) => store.fill(key, request, inner.vendor);
  return { vendor, shared, inner, writes };
}

const settled = () => new Promise((resolve) => setImmediate(resolve));

describe('fleet token store, on a miss', () => {
  it('mints once holding the lock, stores the token, then releases the lock', async () => {
    const lock = scriptedLock('holder-1');
    const { vendor, shared, inner, writes } = vendorWith(lock);

    const result = await vendor(vendRequest());
    await settled();

    expect(result.kind).toBe('issued');
    expect(inner.calls).toHaveLength(1);
    expect(await shared.get(key)).toBeDefined();
    expect(writes).toHaveLength(1);
    expect(lock.released).toEqual(['holder-1']);
  });

  it('does not mint after taking the lock when another instance stored the token meanwhile', async () => {
    const { vendor, shared, inner, writes } = vendorWith(scriptedLock('holder-2'));
    await shared.set(key, profileToken(startMs + 60 * minute, 'ghs_from_elsewhere'), startMs + 15 * minute);

    const result = await vendor(vendRequest());

    expect(result).toMatchObject({ kind: 'issued', token: { token: 'ghs_from_elsewhere' } });
    expect(inner.calls).toHaveLength(0);
    await settled();
    expect(writes).toEqual(['ghs_from_elsewhere']); // only the other instance's write: not stored again
  });

  it('mints and stores the token itself when the holder never stored one and the wait ran out', async () => {
    const { vendor, shared, inner, writes } = vendorWith(scriptedLock(undefined, Array<boolean>(1000).fill(true)));

    const result = await vendor(vendRequest());
    await settled();

    expect(result.kind).toBe('issued');
    expect(inner.calls).toHaveLength(1);
    expect(writes).toHaveLength(1);
    expect(await shared.get(key)).toBeDefined();
  });

  it('takes the stored token when the holder released between two looks, instead of minting', async () => {
    const { vendor, shared, inner } = vendorWith(scriptedLock(undefined, [false]));
    const originalGet = shared.get.bind(shared);
    let looks = 0;
    shared.get = async (k) => {
      looks += 1;
      // The holder stores right after the waiter's first look.
      if (looks === 2) await shared.set(key, profileToken(startMs + 60 * minute, 'ghs_holder'), startMs + 15 * minute);
      return originalGet(k);
    };

    const result = await vendor(vendRequest());

    expect(result).toMatchObject({ kind: 'issued', token: { token: 'ghs_holder' } });
    expect(inner.calls).toHaveLength(0);
  });

  it('mints itself when Valkey cannot be asked', async () => {
    const broken: FleetLock = {
      acquire: () => Promise.reject(new Error('valkey down')),
      release: () => Promise.reject(new Error('valkey down')),
      held: () => Promise.reject(new Error('valkey down')),
    };
    const { vendor, inner } = vendorWith(broken);

    await expect(vendor(vendRequest())).resolves.toMatchObject({ kind: 'issued' });
    expect(inner.calls).toHaveLength(1);
  });
});
