import { describe, expect, it } from 'vitest';
import { startPeriodicLoop, type PeriodicLoopOptions } from '../../src/lib/periodic-loop.js';
import { createManualTimers, settle } from '../support/manual-timers.js';

/** A loop whose runs are recorded; each run answers the next of `outcomes` (an error throws). */
function recordingLoop(overrides: Partial<PeriodicLoopOptions> = {}, ...outcomes: (Error | Promise<void>)[]) {
  const scheduler = createManualTimers();
  const signals: AbortSignal[] = [];
  const errors: { error: unknown; stopped: boolean }[] = [];
  const loop = startPeriodicLoop({
    run: (signal) => {
      signals.push(signal);
      const outcome = outcomes.shift();
      if (outcome instanceof Error) throw outcome;
      return outcome ?? Promise.resolve();
    },
    delayMs: () => 1_000,
    onError: (error, { stopped }) => errors.push({ error, stopped }),
    firstRun: 'now',
    timers: scheduler.timers,
    ...overrides,
  });
  return { loop, scheduler, runs: () => signals.length, signals, errors };
}

describe('periodic loop', () => {
  describe('when the first run is "now"', () => {
    it('runs at once, then again after each delay', async () => {
      const { scheduler, runs } = recordingLoop();
      await settle();
      expect(runs()).toBe(1);
      expect(scheduler.delays()).toEqual([1_000]);
      await scheduler.fire();
      expect(runs()).toBe(2);
      expect(scheduler.delays()).toEqual([1_000]);
    });
  });

  describe('when the first run is "after-delay"', () => {
    it('only schedules the first run', async () => {
      const { scheduler, runs } = recordingLoop({ firstRun: 'after-delay' });
      await settle();
      expect(runs()).toBe(0);
      await scheduler.fire();
      expect(runs()).toBe(1);
    });
  });

  it('asks for the delay anew after every run', async () => {
    const delays = [5, 7];
    const { scheduler } = recordingLoop({ delayMs: () => delays.shift() ?? 9 });
    await settle();
    expect(scheduler.delays()).toEqual([5]);
    await scheduler.fire();
    expect(scheduler.delays()).toEqual([7]);
  });

  it('calls afterRun once the next run is scheduled', async () => {
    const scheduled: number[][] = [];
    const { scheduler } = recordingLoop({ afterRun: () => scheduled.push(scheduler.delays()) });
    await settle();
    expect(scheduled).toEqual([[1_000]]);
  });

  describe('while a run is in flight', () => {
    it('schedules nothing, so runs never overlap', async () => {
      let finish: () => void = () => undefined;
      const slow = new Promise<void>((resolve) => (finish = resolve));
      const { scheduler } = recordingLoop({}, slow);
      await settle();
      expect(scheduler.delays()).toEqual([]);
      finish();
      await settle();
      expect(scheduler.delays()).toEqual([1_000]);
    });
  });

  describe('when a run throws', () => {
    it('hands the error to onError and keeps the schedule', async () => {
      const failure = new TypeError('broken run');
      const { scheduler, errors } = recordingLoop({}, failure);
      await settle();
      expect(errors).toEqual([{ error: failure, stopped: false }]);
      expect(scheduler.delays()).toEqual([1_000]);
    });
  });

  describe('when stopped', () => {
    it('cancels the next run, aborts the one in flight and is safe to call twice', async () => {
      const { loop, scheduler, signals } = recordingLoop({}, new Promise<void>(() => undefined));
      await settle();
      loop.stop();
      loop.stop();
      expect(signals[0]?.aborted).toBe(true);
      expect(scheduler.delays()).toEqual([]);
    });

    it('says so to onError for a run that fails after the stop, and schedules nothing', async () => {
      let fail: (error: Error) => void = () => undefined;
      const failing = new Promise<void>((_, reject) => (fail = reject));
      const { loop, scheduler, errors } = recordingLoop({}, failing);
      await settle();
      loop.stop();
      fail(new Error('aborted'));
      await settle();
      expect(errors).toEqual([{ error: new Error('aborted'), stopped: true }]);
      expect(scheduler.delays()).toEqual([]);
    });
  });
});
