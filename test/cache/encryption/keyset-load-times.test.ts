import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { timeKeysetLoads } from '../../../src/cache/encryption/keyset-load-times.js';
import { startKeysetRefresh } from '../../../src/cache/encryption/keyset-refresh.js';
import { createTinkAead, type Aead } from '../../../src/cache/encryption/tink-aead.js';
import { createManualClock } from '../../../src/lib/clock.js';
import { createManualTimers } from '../../support/manual-timers.js';
import { aesGcmKey, keysetOf } from './encryption-fixtures.js';

const freshAead = (): Aead => createTinkAead(keysetOf(1, aesGcmKey(1)));
/** Loads, but its self-test fails: the refresh must not make it current. */
const brokenAead: Aead = { encrypt: () => Buffer.from('x'), decrypt: () => Buffer.from('y') };

/** A keyset refresh over loads answering `answers` in order, timed on a manual clock. */
async function refreshOf(...answers: (Aead | Error)[]) {
  const clock = createManualClock(1_000_000);
  const fake = createManualTimers((ms) => clock.advanceMs(ms));
  const timed = timeKeysetLoads(async () => {
    const answer = answers.shift();
    if (answer === undefined || answer instanceof Error) throw answer ?? new TypeError('not scripted');
    return answer;
  }, clock);
  const refresh = await startKeysetRefresh({ load: timed.load, logger: pino({ level: 'silent' }), timers: fake.timers, intervalMs: 60_000 });
  return { loadedAtMs: () => timed.loadedAtMs(refresh.current()), fire: () => fake.fire() };
}

describe('keyset load times', () => {
  it('gives the time the keyset in use was loaded', async () => {
    const { loadedAtMs } = await refreshOf(freshAead());
    expect(loadedAtMs()).toBe(1_000_000);
  });

  describe('when a reload succeeds', () => {
    it('moves on to the new keyset’s load time', async () => {
      const { loadedAtMs, fire } = await refreshOf(freshAead(), freshAead());
      await fire();
      expect(loadedAtMs()).toBe(1_060_000);
    });
  });

  describe('when reloads fail', () => {
    it('keeps the old load time, whether the load threw or its keyset failed the self-test', async () => {
      const { loadedAtMs, fire } = await refreshOf(freshAead(), new Error('secret not found'), brokenAead);
      await fire();
      await fire();
      expect(loadedAtMs()).toBe(1_000_000);
    });
  });

  it('knows no load time for an AEAD it did not load', () => {
    const timed = timeKeysetLoads(async () => freshAead(), createManualClock(0));
    expect(timed.loadedAtMs(freshAead())).toBeUndefined();
  });
});
