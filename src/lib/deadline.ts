import { systemTimers, type Timers } from './timers.js';

export interface DeadlineOptions {
  readonly timeoutMs: number;
  /** The error the call fails with when the deadline passes first. */
  readonly expired: () => Error;
  /** The host's timers when absent. */
  readonly timers?: Timers | undefined;
}

/**
 * Runs `work` against a deadline: its answer or failure, or `expired()` once `timeoutMs`
 * passes first. The timer is set before `work` starts and cleared when the call settles.
 * `work` itself is not cancelled; what it answers after the deadline is ignored.
 */
export async function withDeadline<T>(work: () => Promise<T>, options: DeadlineOptions): Promise<T> {
  const timers = options.timers ?? systemTimers;
  let handle: unknown;
  const expired = new Promise<never>((_, reject) => {
    handle = timers.setTimeout(() => reject(options.expired()), options.timeoutMs);
  });
  try {
    return await Promise.race([work(), expired]);
  } finally {
    timers.clearTimeout(handle);
  }
}
