import type { Clock } from './clock.js';

/** A key's count in the current window, this increment included, and when the window ends. */
export interface WindowCount {
  readonly count: number;
  readonly resetsInMs: number;
}

/** Counts one more event for `key` in its current fixed window. */
export type WindowCounter = (key: string) => Promise<WindowCount>;

export interface LocalWindowCounterOptions {
  readonly clock: Clock;
  readonly windowMs: number;
}

/**
 * One instance's counter: windows aligned to the clock (every key's window ends at the
 * same moment), and every count dropped when a window ends, so the map holds only the
 * keys seen in the current one.
 */
export function createLocalWindowCounter(options: LocalWindowCounterOptions): WindowCounter {
  const { clock, windowMs } = options;
  let counts = new Map<string, number>();
  let window = Number.NaN;
  return (key) => {
    const nowMs = clock.nowMs();
    const current = Math.floor(nowMs / windowMs);
    if (current !== window) {
      window = current;
      counts = new Map();
    }
    const count = (counts.get(key) ?? 0) + 1;
    counts.set(key, count);
    return Promise.resolve({ count, resetsInMs: (current + 1) * windowMs - nowMs });
  };
}
