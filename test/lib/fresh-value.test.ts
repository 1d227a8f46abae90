import { describe, expect, it } from 'vitest';
import { createManualClock } from '../../src/lib/clock.js';
import { createFreshValue, type Fresh, type FreshValueOptions } from '../../src/lib/fresh-value.js';

const startMs = 1_000_000;

/**
 * A fresh value over a load answering `v1`, `v2`, … renewed after 100 ms and usable for
 * `usableForMs` (not at all after renewal when `never`); `state.fail` makes loads reject.
 */
function world(extra: Partial<FreshValueOptions<string>> = {}, usableForMs: number | 'never' = 200) {
  const clock = createManualClock(startMs);
  const state = { loads: 0, fail: false };
  const load = (): Promise<Fresh<string>> => {
    state.loads += 1;
    if (state.fail) return Promise.reject(new TypeError(`load ${state.loads} failed`));
    const renewAtMs = clock.nowMs() + 100;
    const value = `v${state.loads}`;
    if (usableForMs === 'never') return Promise.resolve({ value, renewAtMs });
    return Promise.resolve({ value, renewAtMs, usableUntilMs: clock.nowMs() + usableForMs });
  };
  return { clock, state, value: createFreshValue<string>({ load, clock, renewal: 'wait', ...extra }) };
}

describe('fresh value', () => {
  describe('when asked before the value is due for renewal', () => {
    it('loads once and serves the same value', async () => {
      const { clock, state, value } = world();
      await expect(value.get()).resolves.toBe('v1');
      clock.advanceMs(99);
      await expect(value.get()).resolves.toBe('v1');
      expect(state.loads).toBe(1);
    });
  });

  describe('when callers ask at the same time', () => {
    it('shares one load between them', async () => {
      const { state, value } = world();
      await expect(Promise.all([value.get(), value.get(), value.refresh()])).resolves.toEqual(['v1', 'v1', 'v1']);
      expect(state.loads).toBe(1);
    });
  });

  describe('with renewal "wait"', () => {
    it('makes callers wait for the new value once the old is due', async () => {
      const { clock, value } = world();
      await value.get();
      clock.advanceMs(100);
      await expect(value.get()).resolves.toBe('v2');
    });

    it('serves the old value when the renewal fails while the old one is usable, and rejects after', async () => {
      const { clock, state, value } = world();
      await value.get();
      state.fail = true;
      clock.advanceMs(150);
      await expect(value.get()).resolves.toBe('v1');
      clock.advanceMs(50);
      await expect(value.get()).rejects.toThrow('load 3 failed');
    });

    it('never serves a value without usableUntilMs after its renewal time', async () => {
      const { clock, state, value } = world({}, 'never');
      await value.get();
      state.fail = true;
      clock.advanceMs(100);
      await expect(value.get()).rejects.toThrow('load 2 failed');
    });

    it('retries at once after a failure when there is no cooldown', async () => {
      const { state, value } = world();
      state.fail = true;
      await expect(value.get()).rejects.toThrow('load 1 failed');
      state.fail = false;
      await expect(value.get()).resolves.toBe('v2');
    });
  });

  describe('with renewal "background"', () => {
    it('serves the old value at once and swaps in the new one when it has loaded', async () => {
      const { clock, state, value } = world({ renewal: 'background' });
      await value.get();
      clock.advanceMs(100);
      await expect(value.get()).resolves.toBe('v1');
      expect(state.loads).toBe(2);
      await expect(value.get()).resolves.toBe('v2');
    });
  });

  describe('with a cooldown', () => {
    const cooldown = {
      afterFailureMs: (hadValue: boolean) => (hadValue ? 60 : 10),
      unavailable: () => new RangeError('cooling down'),
    };

    it('refuses with "unavailable" and starts no load until the first-load cooldown ends', async () => {
      const { clock, state, value } = world({ cooldown });
      state.fail = true;
      await expect(value.get()).rejects.toThrow('load 1 failed');
      state.fail = false;
      await expect(value.get()).rejects.toBeInstanceOf(RangeError);
      expect(state.loads).toBe(1);
      clock.advanceMs(10);
      await expect(value.get()).resolves.toBe('v2');
    });

    it('serves a usable value without loading during the cooldown after a failed renewal', async () => {
      const { clock, state, value } = world({ cooldown, renewal: 'background' }, Infinity);
      await value.get();
      state.fail = true;
      clock.advanceMs(100);
      await expect(value.get()).resolves.toBe('v1');
      await expect(value.get()).resolves.toBe('v1');
      expect(state.loads).toBe(2);
      clock.advanceMs(60);
      state.fail = false;
      await value.get();
      expect(state.loads).toBe(3);
    });

    it('lets refresh() load during the cooldown', async () => {
      const { state, value } = world({ cooldown });
      state.fail = true;
      await expect(value.get()).rejects.toThrow('load 1 failed');
      state.fail = false;
      await expect(value.refresh()).resolves.toBe('v2');
      await expect(value.get()).resolves.toBe('v2');
    });
  });
});
