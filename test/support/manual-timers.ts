import type { Timers } from '../../src/lib/timers.js';

/** Waits one turn of the event loop, so promise chains and I/O already under way finish. */
export const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * Timers standing in for the host's: nothing runs until the test fires it. `advance`, when
 * given, moves a manual clock on by the fired callback's delay first.
 */
export function createManualTimers(advance: (ms: number) => void = () => undefined) {
  const pending = new Map<number, { callback: () => void; delayMs: number }>();
  let nextId = 1;
  const timers: Timers = {
    setTimeout(callback, delayMs) {
      pending.set(nextId, { callback, delayMs });
      return nextId++;
    },
    clearTimeout(handle) {
      if (typeof handle === 'number') pending.delete(handle);
    },
  };
  return {
    timers,
    /** The delays of the callbacks waiting to run. */
    delays: () => [...pending.values()].map((entry) => entry.delayMs),
    /** Runs the earliest scheduled callback (advancing the clock to it) and lets its work finish. */
    async fire(): Promise<void> {
      const [first] = [...pending].sort(([, a], [, b]) => a.delayMs - b.delayMs);
      if (first === undefined) throw new TypeError('nothing is scheduled');
      pending.delete(first[0]);
      advance(first[1].delayMs);
      first[1].callback();
      await settle();
    },
  };
}
