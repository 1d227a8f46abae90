import { describe, expect, it } from 'vitest';
import { createManualClock } from '../../src/lib/clock.js';
import { retryBudgets } from '../../src/lib/retry-budget.js';

describe('retry budgets', () => {
  const clock = createManualClock(1_000_000);

  it('start when asked for, and end one attempt timeout after the retries may', () => {
    const budgets = retryBudgets({ clock, budgetMs: 10_000, attemptTimeoutMs: 10_000 });
    clock.advanceMs(500);

    expect(budgets()).toEqual({ retryUntilMs: 1_010_500, deadlineMs: 1_020_500 });
  });

  it('are none when the budget is 0: one attempt per call, as without retries', () => {
    expect(retryBudgets({ clock, budgetMs: 0, attemptTimeoutMs: 10_000 })()).toBeUndefined();
  });
});
