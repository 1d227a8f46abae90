import { systemTimers, type Timers } from './timers.js';

export interface PeriodicLoopOptions {
  /**
   * One run. `signal` aborts when the loop is stopped: a run still in flight then should
   * give up, and must discard its result rather than publish it.
   */
  readonly run: (signal: AbortSignal) => Promise<void>;
  /** The pause between the end of one run and the start of the next; asked after every run. */
  readonly delayMs: () => number;
  /** Told what a run threw; `stopped` says whether the loop had been stopped by then. */
  readonly onError: (error: unknown, context: { readonly stopped: boolean }) => void;
  /**
   * Called after every run once the next one is scheduled (or the loop has stopped): the
   * place to announce a run's result, so that whoever hears of it finds the schedule set.
   */
  readonly afterRun?: () => void;
  /** `now`: the first run starts at once; `after-delay`: after the first `delayMs()`. */
  readonly firstRun: 'now' | 'after-delay';
  /** The host's timers when absent. */
  readonly timers?: Timers | undefined;
}

/** A running loop. */
export interface PeriodicLoop {
  /** Cancels the next run and aborts the one in flight; schedules nothing more. Idempotent. */
  stop(): void;
}

/**
 * Runs background work again and again until stopped. Invariants: runs never overlap (the
 * next is scheduled only when one ends, so a slow run delays the schedule rather than
 * stacking up), nothing a run throws escapes a timer callback (it goes to `onError` and
 * the schedule goes on), and nothing is scheduled after `stop()`.
 */
export function startPeriodicLoop(options: PeriodicLoopOptions): PeriodicLoop {
  const timers = options.timers ?? systemTimers;
  const aborter = new AbortController();
  let stopped = false;
  let scheduled: { handle: unknown } | undefined;

  async function tick(): Promise<void> {
    scheduled = undefined;
    try {
      await options.run(aborter.signal);
    } catch (error) {
      options.onError(error, { stopped });
    } finally {
      schedule();
      options.afterRun?.();
    }
  }

  function schedule(): void {
    if (!stopped) scheduled = { handle: timers.setTimeout(() => void tick(), options.delayMs()) };
  }

  if (options.firstRun === 'now') void tick();
  else schedule();
  return {
    stop() {
      if (stopped) return;
      stopped = true;
      if (scheduled !== undefined) timers.clearTimeout(scheduled.handle);
      scheduled = undefined;
      aborter.abort();
    },
  };
}
