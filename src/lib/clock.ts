/** The source of the current time; injected so that domain code never reads the real clock. */
export interface Clock {
  /** Milliseconds since the epoch. */
  nowMs(): number;
}

/** The real clock; only the composition root and entry points use it. */
export const systemClock: Clock = { nowMs: () => Date.now() };

/** A clock that stands still until told to move; for tests and benchmarks. */
export interface ManualClock extends Clock {
  advanceMs(ms: number): void;
  setMs(ms: number): void;
}

export function createManualClock(startMs: number): ManualClock {
  let current = startMs;
  return {
    nowMs: () => current,
    advanceMs: (ms) => {
      current += ms;
    },
    setMs: (ms) => {
      current = ms;
    },
  };
}
