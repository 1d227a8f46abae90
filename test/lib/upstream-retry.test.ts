import { describe, expect, it } from 'vitest';
import { UpstreamFailedError, UpstreamRateLimitedError, UpstreamRefusedError, UpstreamTimeoutError } from '../../src/errors.js';
import { createManualClock } from '../../src/lib/clock.js';
import { createRateLimitGate } from '../../src/lib/rate-limit-gate.js';
import { retryBudgets } from '../../src/lib/retry-budget.js';
import { callWithRetries, type CallBounds } from '../../src/lib/upstream-retry.js';

/** A call whose pauses move a manual clock on at once, and whose attempts answer from a script. */
function scripted(outcomes: readonly (Error | string)[], boundsOf: (budgets: ReturnType<typeof retryBudgets>) => CallBounds) {
  const clock = createManualClock(0);
  const pauses: number[] = [];
  const attempts: number[] = [];
  const retries: string[] = [];
  const budgets = retryBudgets({ clock, budgetMs: 10_000, attemptTimeoutMs: 4000 });
  const bounds = boundsOf(budgets);
  const run = () =>
    callWithRetries(
      async (timeoutMs) => {
        attempts.push(timeoutMs);
        const outcome = outcomes[attempts.length - 1] ?? 'ok';
        if (outcome instanceof Error) throw outcome;
        return outcome;
      },
      {
        clock,
        pause: async (ms) => {
          pauses.push(ms);
          clock.advanceMs(ms);
        },
        backoff: { firstDelayMs: 100, maxDelayMs: 5000, random: () => 1 },
        upstream: 'github',
        operation: 'installation token',
        timeoutMs: 4000,
        bounds,
        onRetry: (reason) => retries.push(reason),
      },
    );
  return { clock, pauses, attempts, retries, run, bounds };
}

const serverError = () => new UpstreamFailedError('github', 'installation token', 'HTTP 502', { retryable: true });
const withBudget = (budgets: ReturnType<typeof retryBudgets>) => ({ budget: budgets() });

describe('calling an upstream with retries', () => {
  describe('when attempts fail with a connection error, a 5xx or a timeout', () => {
    it('tries again after 100 ms, then 200 ms, and answers the first success', async () => {
      const call = scripted([serverError(), new UpstreamTimeoutError('github', 'installation token', 4000), 'minted'], withBudget);

      await expect(call.run()).resolves.toBe('minted');
      expect(call.pauses).toEqual([100, 200]);
      expect(call.retries).toEqual(['failed', 'timeout']);
    });

    it('gives up with the last error once the next wait would end after the budget', async () => {
      const call = scripted(Array.from({ length: 99 }, serverError), withBudget);

      await expect(call.run()).rejects.toMatchObject({ code: 'upstream_failed' });
      // 100 + 200 + … + 3200 = 6300; the next wait (5000) would end after 10,000.
      expect(call.pauses).toEqual([100, 200, 400, 800, 1600, 3200]);
      expect(call.attempts).toHaveLength(7);
    });

    it('makes one attempt without a budget', async () => {
      const call = scripted([serverError(), 'minted'], () => ({}));

      await expect(call.run()).rejects.toMatchObject({ code: 'upstream_failed', retryable: true });
      expect(call.attempts).toEqual([4000]);
    });
  });

  describe('when an attempt fails for good', () => {
    it.each([
      ['a refusal', new UpstreamRefusedError('github', 'repositories not accessible to the installation')],
      ['a 4xx', new UpstreamFailedError('github', 'installation token', 'HTTP 401')],
    ])('does not retry %s', async (_case, error) => {
      const call = scripted([error, 'minted'], withBudget);

      await expect(call.run()).rejects.toBe(error);
      expect(call.attempts).toHaveLength(1);
    });
  });

  describe('when the budget is nearly spent', () => {
    it("ends the attempt at the request's deadline, not its own timeout", async () => {
      const call = scripted(['minted'], withBudget);
      call.clock.setMs(12_500);

      await call.run();
      expect(call.attempts).toEqual([1500]);
    });

    it('fails at once, without an attempt, after the deadline', async () => {
      const call = scripted(['minted'], withBudget);
      call.clock.setMs(14_000);

      await expect(call.run()).rejects.toMatchObject({ code: 'upstream_timeout' });
      expect(call.attempts).toEqual([]);
    });
  });

  describe('when a lookup and then a mint never answer, with the default settings', () => {
    it('ends both within the budget plus one attempt timeout (20 s), well inside 30 s', async () => {
      const clock = createManualClock(0);
      const budget = retryBudgets({ clock, budgetMs: 10_000, attemptTimeoutMs: 10_000 })();
      const hung = async (timeoutMs: number): Promise<never> => {
        clock.advanceMs(timeoutMs);
        throw new UpstreamTimeoutError('github', 'installation token', timeoutMs);
      };
      const call = (operation: string, attempt: (timeoutMs: number) => Promise<string>) =>
        callWithRetries(attempt, {
          clock,
          pause: async (ms) => clock.advanceMs(ms),
          backoff: { firstDelayMs: 100, maxDelayMs: 5000, random: () => 0 },
          upstream: 'github',
          operation,
          timeoutMs: 10_000,
          bounds: { budget },
        });
      // The lookup answers just before the budget ends; every mint attempt then hangs.
      const lookup = await call('pipeline lookup', async () => {
        clock.advanceMs(9_990);
        return 'https://github.com/acme/widget.git';
      });

      await expect(call('installation token', hung)).rejects.toMatchObject({ code: 'upstream_timeout' });
      expect(lookup).toMatch(/widget/);
      expect(clock.nowMs()).toBeLessThanOrEqual(20_000);
    });
  });

  describe('when the upstream says its rate limit is spent', () => {
    const limited = (seconds: number) => new UpstreamRateLimitedError('github', 'installation token', seconds);
    const gated = (budgets: ReturnType<typeof retryBudgets>) => ({ budget: budgets(), gate: createRateLimitGate() });

    it('waits as long as it asks when that fits the budget, then tries again', async () => {
      const call = scripted([limited(2), 'minted'], gated);

      await expect(call.run()).resolves.toBe('minted');
      expect(call.pauses).toEqual([2000]);
      expect(call.retries).toEqual(['rate_limited']);
    });

    it('answers upstream_rate_limited when it does not, and closes the gate until the reset', async () => {
      const call = scripted([limited(3600)], gated);

      await expect(call.run()).rejects.toMatchObject({ code: 'upstream_rate_limited', retryAfterSeconds: 3600 });
      expect(call.bounds.gate?.closedUntilMs()).toBe(3_600_000);
    });

    it('makes no attempt while the gate is closed beyond the budget', async () => {
      const call = scripted(['minted'], gated);
      call.bounds.gate?.closeUntil(60_000);
      call.clock.setMs(1000);

      await expect(call.run()).rejects.toMatchObject({ code: 'upstream_rate_limited', retryAfterSeconds: 59 });
      expect(call.attempts).toEqual([]);
    });

    it('waits for a closed gate that reopens within the budget', async () => {
      const call = scripted(['minted'], gated);
      call.bounds.gate?.closeUntil(3000);

      await expect(call.run()).resolves.toBe('minted');
      expect(call.pauses).toEqual([3000]);
      expect(call.attempts).toHaveLength(1);
    });

    it('answers upstream_rate_limited at once without a budget', async () => {
      const call = scripted([limited(1), 'minted'], (budgets) => ({ gate: gated(budgets).gate }));

      await expect(call.run()).rejects.toMatchObject({ code: 'upstream_rate_limited', retryAfterSeconds: 1 });
      expect(call.attempts).toHaveLength(1);
    });
  });
});
