import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Scripted misbehaviour for a fake upstream: fail the next N requests with a status, or
 * answer slowly. Each stand-in owns one; there is no shared state between servers.
 */
export interface FaultInjector {
  /** The next `count` requests (default 1) answer `status`. */
  failNext(status: number, count?: number): void;
  /** Every answer waits this long first (0 = no delay). */
  setDelayMs(ms: number): void;
  /** Waits the configured delay; resolves early if `signal` aborts (server closing). */
  delay(signal: AbortSignal): Promise<void>;
  /** The status to fail this request with, consuming one scripted failure; else undefined. */
  takeFailure(): number | undefined;
}

/** Creates a {@link FaultInjector} that starts with no failures and `initialDelayMs`. */
export function createFaultInjector(initialDelayMs = 0): FaultInjector {
  const failures: number[] = [];
  let delayMs = initialDelayMs;
  return {
    failNext: (status, count = 1) => {
      for (let i = 0; i < count; i += 1) failures.push(status);
    },
    setDelayMs: (ms) => {
      delayMs = ms;
    },
    delay: async (signal) => {
      if (delayMs <= 0) return;
      await sleep(delayMs, undefined, { signal }).catch((error: unknown) => {
        // Closing the server aborts pending delays; anything else is a real failure.
        if (!signal.aborted) throw error;
      });
    },
    takeFailure: () => failures.shift(),
  };
}
