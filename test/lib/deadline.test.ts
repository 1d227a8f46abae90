import { describe, expect, it } from 'vitest';
import { withDeadline } from '../../src/lib/deadline.js';
import { createManualTimers } from '../support/manual-timers.js';

const expired = () => new RangeError('too late');

describe('deadline', () => {
  describe('when the work settles first', () => {
    it('answers its value and clears the timer', async () => {
      const scheduler = createManualTimers();
      await expect(withDeadline(() => Promise.resolve('v'), { timeoutMs: 50, expired, timers: scheduler.timers })).resolves.toBe('v');
      expect(scheduler.delays()).toEqual([]);
    });

    it('rejects with the work failure and clears the timer', async () => {
      const scheduler = createManualTimers();
      const failure = new TypeError('broken');
      await expect(withDeadline(() => Promise.reject(failure), { timeoutMs: 50, expired, timers: scheduler.timers })).rejects.toBe(failure);
      expect(scheduler.delays()).toEqual([]);
    });
  });

  describe('when the deadline passes first', () => {
    it('rejects with the expired error, set before the work started', async () => {
      const scheduler = createManualTimers();
      const delaysWhenStarted: number[][] = [];
      const call = withDeadline(
        () => {
          delaysWhenStarted.push(scheduler.delays());
          return new Promise<never>(() => undefined);
        },
        { timeoutMs: 50, expired, timers: scheduler.timers },
      );
      expect(delaysWhenStarted).toEqual([[50]]);
      const rejected = expect(call).rejects.toBeInstanceOf(RangeError);
      await scheduler.fire();
      await rejected;
    });
  });
});
