import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { backoffDelayMs } from '../../src/lib/backoff.js';

const options = (random: number) => ({ firstDelayMs: 100, maxDelayMs: 1000, random: () => random });

describe('backoff delay', () => {
  describe('with the most jitter can give (random → 1)', () => {
    it('doubles from the first delay up to the cap', () => {
      expect([0, 1, 2, 3, 4, 5].map((retry) => backoffDelayMs(retry, options(1)))).toEqual([100, 200, 400, 800, 1000, 1000]);
    });
  });

  describe('with the least jitter (random → 0)', () => {
    it('waits half of each step', () => {
      expect([0, 1, 2, 3, 4].map((retry) => backoffDelayMs(retry, options(0)))).toEqual([50, 100, 200, 400, 500]);
    });
  });

  it('keeps every delay between half and all of its step, whatever the random source answers', () => {
    fc.assert(
      fc.property(fc.nat({ max: 100 }), fc.double({ noNaN: true }), (retry, random) => {
        const stepMs = Math.min(100 * 2 ** Math.min(retry, 30), 1000);
        const delayMs = backoffDelayMs(retry, options(random));
        expect(delayMs).toBeGreaterThanOrEqual(stepMs / 2);
        expect(delayMs).toBeLessThanOrEqual(stepMs);
      }),
    );
  });
});
