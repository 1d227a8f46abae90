import { UpstreamFailedError, UpstreamRateLimitedError, UpstreamTimeoutError } from '../errors.js';
import { backoffDelayMs, type BackoffOptions } from './backoff.js';
import type { Clock } from './clock.js';
import type { RateLimitGate } from './rate-limit-gate.js';
import type { RetryBudget } from './retry-budget.js';

/** What bounds one upstream call beyond its own timeout. */
export interface CallBounds {
  /** The request's budget: retries within it, no attempt past its deadline. Absent: one attempt. */
  readonly budget?: RetryBudget | undefined;
  /** The rate limit the call counts against: no attempt while it is spent. */
  readonly gate?: RateLimitGate | undefined;
}

/** Why an attempt is followed by another. */
export type RetryReason = 'failed' | 'timeout' | 'rate_limited';

/** How retries wait: the clock, a pause on the injected timers, and the backoff. */
export interface RetryTiming {
  readonly clock: Clock;
  readonly pause: (ms: number) => Promise<void>;
  readonly backoff: BackoffOptions;
}

export interface RetriedCall extends RetryTiming {
  readonly upstream: string;
  readonly operation: string;
  /** The longest one attempt may take (before the budget's deadline shortens it). */
  readonly timeoutMs: number;
  readonly bounds: CallBounds;
  /** Told before each retry. */
  readonly onRetry?: ((reason: RetryReason) => void) | undefined;
}

/**
 * Runs `attempt` (given its timeout) until it succeeds, fails for good, or the budget has no
 * room for another try. Retried: a timeout and a retryable {@link UpstreamFailedError}, after
 * a jittered exponential backoff; an {@link UpstreamRateLimitedError}, after the wait it names,
 * which also closes the gate. A wait that does not fit before the budget's `retryUntilMs`
 * ends the call with the last error; a closed gate that does not reopen in time fails the
 * call with UpstreamRateLimitedError at once, without an attempt.
 */
export async function callWithRetries<T>(attempt: (timeoutMs: number) => Promise<T>, call: RetriedCall): Promise<T> {
  const { clock, bounds } = call;
  for (let retry = 0; ; retry += 1) {
    await waitForGate(call);
    const leftMs = bounds.budget === undefined ? call.timeoutMs : bounds.budget.deadlineMs - clock.nowMs();
    if (leftMs <= 0) throw new UpstreamTimeoutError(call.upstream, call.operation, 0);
    try {
      return await attempt(Math.min(call.timeoutMs, leftMs));
    } catch (error) {
      const next = nextTry(error, retry, call);
      if (next === undefined) throw error;
      if (next.reason === 'rate_limited') bounds.gate?.closeUntil(clock.nowMs() + next.waitMs);
      if (bounds.budget === undefined || clock.nowMs() + next.waitMs > bounds.budget.retryUntilMs) throw error;
      call.onRetry?.(next.reason);
      await call.pause(next.waitMs);
    }
  }
}

/** The wait before trying again after `error`, or `undefined` when it must not be retried. */
function nextTry(error: unknown, retry: number, call: RetriedCall): { reason: RetryReason; waitMs: number } | undefined {
  if (error instanceof UpstreamRateLimitedError) return { reason: 'rate_limited', waitMs: error.retryAfterSeconds * 1000 };
  if (error instanceof UpstreamTimeoutError) return { reason: 'timeout', waitMs: backoffDelayMs(retry, call.backoff) };
  if (error instanceof UpstreamFailedError && error.retryable) return { reason: 'failed', waitMs: backoffDelayMs(retry, call.backoff) };
  return undefined;
}

/** Waits for a spent limit's reset when it comes within the budget; otherwise fails without calling. */
async function waitForGate(call: RetriedCall): Promise<void> {
  const { gate, budget } = call.bounds;
  if (gate === undefined) return;
  const nowMs = call.clock.nowMs();
  const waitMs = gate.closedUntilMs() - nowMs;
  if (waitMs <= 0) return;
  if (budget === undefined || nowMs + waitMs > budget.retryUntilMs) {
    throw new UpstreamRateLimitedError(call.upstream, call.operation, Math.ceil(waitMs / 1000));
  }
  await call.pause(waitMs);
}
