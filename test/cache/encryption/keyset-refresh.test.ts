import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { EncryptionSelfTestError } from '../../../src/errors.js';
import { startKeysetRefresh, type KeysetRefresh } from '../../../src/cache/encryption/keyset-refresh.js';
import { createTinkAead, type Aead } from '../../../src/cache/encryption/tink-aead.js';
import { captureLines } from '../../support/capture-stream.js';
import { createManualTimers, settle } from '../../support/manual-timers.js';
import { aesGcmKey, keysetOf } from './encryption-fixtures.js';

const silent = pino({ level: 'silent' });

/** Lets every promise chain the last step started run to its end. */

/** A working AEAD of its own fresh key. */
const freshAead = (): Aead => createTinkAead(keysetOf(1, aesGcmKey(1)));
/** An AEAD that loads but garbles everything, so its self-test fails. */
const brokenAead: Aead = { encrypt: () => Buffer.from('x'), decrypt: () => Buffer.from('y') };

/** A load answering scripted results in order: an AEAD, or an error to reject with. */
function scriptedLoad(...answers: (Aead | Error | Promise<Aead>)[]) {
  const signals: AbortSignal[] = [];
  const load = (signal: AbortSignal): Promise<Aead> => {
    signals.push(signal);
    const answer = answers.shift();
    if (answer === undefined) throw new TypeError('load called more often than scripted');
    return answer instanceof Error ? Promise.reject(answer) : Promise.resolve(answer);
  };
  return { load, signals, loads: () => signals.length };
}

async function start(load: (signal: AbortSignal) => Promise<Aead>, intervalMs?: number) {
  const fake = createManualTimers();
  const logs = captureLines();
  const refresh: KeysetRefresh = await startKeysetRefresh({
    load,
    logger: pino({ level: 'debug' }, logs.stream),
    timers: fake.timers,
    ...(intervalMs === undefined ? {} : { intervalMs }),
  });
  return { refresh, fake, logs, messages: () => logs.lines.map((line) => [line.level, line.msg]) };
}

describe('keyset refresh', () => {
  describe('when starting', () => {
    it('awaits the first load and serves its AEAD', async () => {
      const first = freshAead();
      const { refresh, fake } = await start(scriptedLoad(first).load);
      expect(refresh.current()).toBe(first);
      expect(fake.delays()).toEqual([15 * 60 * 1000]);
    });

    it('rejects with the load failure, scheduling nothing', async () => {
      const fake = createManualTimers();
      const failure = new Error('secret not found');
      const started = startKeysetRefresh({ load: scriptedLoad(failure).load, logger: silent, timers: fake.timers });
      await expect(started).rejects.toBe(failure);
      expect(fake.delays()).toEqual([]);
    });

    it('rejects with the self-test error when the first AEAD does not round-trip', async () => {
      const started = startKeysetRefresh({
        load: scriptedLoad(brokenAead).load,
        logger: silent,
        timers: createManualTimers().timers,
      });
      await expect(started).rejects.toBeInstanceOf(EncryptionSelfTestError);
    });
  });

  describe('when the interval passes and the load succeeds', () => {
    it('swaps in the new AEAD, logs it and schedules the next load', async () => {
      const second = freshAead();
      const { refresh, fake, messages } = await start(scriptedLoad(freshAead(), second).load, 60_000);
      await fake.fire();
      expect(refresh.current()).toBe(second);
      expect(messages()).toEqual([
        [30, 'refreshing encryption keyset'],
        [30, 'encryption keyset refreshed successfully'],
      ]);
      expect(fake.delays()).toEqual([60_000]);
    });
  });

  describe('when a later load fails', () => {
    it.each([
      ['the load rejects', new Error('KMS throttled')],
      ['the new AEAD fails its self-test', brokenAead],
    ])('keeps the current AEAD when %s, warns, and tries again next interval', async (_name, answer) => {
      const first = freshAead();
      const third = freshAead();
      const { refresh, fake, logs } = await start(scriptedLoad(first, answer, third).load);
      await fake.fire();
      expect(refresh.current()).toBe(first);
      expect(logs.lines.at(-1)).toMatchObject({
        level: 40,
        msg: 'failed to refresh encryption keyset, continuing with current keyset',
        err: expect.objectContaining({ message: expect.any(String) }),
      });
      await fake.fire();
      expect(refresh.current()).toBe(third);
    });

    it('survives a load that throws instead of rejecting', async () => {
      const first = freshAead();
      let calls = 0;
      const load = (): Promise<Aead> => {
        calls += 1;
        if (calls > 1) throw new TypeError('synchronous failure');
        return Promise.resolve(first);
      };
      const { refresh, fake } = await start(load);
      await fake.fire();
      expect(refresh.current()).toBe(first);
      expect(fake.delays()).toHaveLength(1);
    });
  });

  describe('while a load is in flight', () => {
    it('schedules nothing until it ends, so loads never overlap', async () => {
      let finish: (aead: Aead) => void = () => undefined;
      const slow = new Promise<Aead>((resolve) => {
        finish = resolve;
      });
      const { load, loads } = scriptedLoad(freshAead(), slow);
      const { refresh, fake } = await start(load);
      await fake.fire();
      expect(fake.delays()).toEqual([]);
      const second = freshAead();
      finish(second);
      await settle();
      expect(refresh.current()).toBe(second);
      expect(fake.delays()).toHaveLength(1);
      expect(loads()).toBe(2);
    });
  });

  describe('when stopped', () => {
    it('cancels the scheduled load and is safe to call twice', async () => {
      const first = freshAead();
      const { refresh, fake } = await start(scriptedLoad(first).load);
      refresh.stop();
      refresh.stop();
      expect(fake.delays()).toEqual([]);
      expect(refresh.current()).toBe(first);
    });

    it('aborts a load in flight and discards its result', async () => {
      let finish: (aead: Aead) => void = () => undefined;
      const slow = new Promise<Aead>((resolve) => {
        finish = resolve;
      });
      const first = freshAead();
      const { load, signals } = scriptedLoad(first, slow);
      const { refresh, fake, messages } = await start(load);
      await fake.fire();
      refresh.stop();
      expect(signals[1]?.aborted).toBe(true);
      finish(freshAead());
      await settle();
      expect(refresh.current()).toBe(first);
      expect(fake.delays()).toEqual([]);
      expect(messages()).toEqual([[30, 'refreshing encryption keyset']]);
    });
  });
});
