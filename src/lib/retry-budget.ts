import type { Clock } from './clock.js';

/**
 * The time one request may spend on its upstream calls. Retries (and waits for a rate
 * limit) start only before `retryUntilMs`; no attempt runs past `deadlineMs`, which is one
 * attempt's timeout later. Plain data: creating one costs two additions.
 */
export interface RetryBudget {
  readonly retryUntilMs: number;
  readonly deadlineMs: number;
}

/** Creates the budget of a request that is about to call upstreams; `undefined` means no retries. */
export type RetryBudgets = () => RetryBudget | undefined;

export interface RetryBudgetOptions {
  readonly clock: Clock;
  /** `SERVER_OUTGOING_RETRY_BUDGET_SECS` in ms; 0 turns retries off. */
  readonly budgetMs: number;
  /** `SERVER_OUTGOING_TIMEOUT_SECS` in ms: the longest one attempt may take. */
  readonly attemptTimeoutMs: number;
}

/**
 * Budgets that start now. With a budget of 0 there is none: each call makes one attempt
 * with its own timeout, as without retries. Otherwise a request's calls together end by
 * `budgetMs + attemptTimeoutMs` (20 s by default), however its upstreams misbehave.
 */
export function retryBudgets(options: RetryBudgetOptions): RetryBudgets {
  const { clock, budgetMs, attemptTimeoutMs } = options;
  if (budgetMs <= 0) return () => undefined;
  return () => {
    const retryUntilMs = clock.nowMs() + budgetMs;
    return { retryUntilMs, deadlineMs: retryUntilMs + attemptTimeoutMs };
  };
}
