import type { Clock } from './clock.js';
import { createSingleFlight } from './single-flight.js';

/**
 * Runs one operation per key at a time, and remembers a failure it was told to remember
 * for a while: until then, callers of that key get the same error again without the
 * operation running. Successes are shared only while in flight, never kept.
 */
export interface FailureMemory<T> {
  run(key: string, operation: () => Promise<T>): Promise<T>;
}

export interface FailureMemoryOptions {
  readonly clock: Clock;
  /** How long a remembered failure is answered again; 0 remembers nothing. */
  readonly rememberMs: number;
  /** Which failures are remembered (the others only end the shared flight). */
  readonly isRemembered: (error: unknown) => boolean;
}

interface Remembered {
  readonly error: unknown;
  readonly untilMs: number;
}

/**
 * A {@link FailureMemory}. Entries are kept in the order they expire (every one lives
 * `rememberMs`), so each new failure first drops the expired ones at the head: the map
 * never holds more than the failures of the last `rememberMs`.
 */
export function createFailureMemory<T>(options: FailureMemoryOptions): FailureMemory<T> {
  const { clock, rememberMs, isRemembered } = options;
  const flight = createSingleFlight<T>();
  const remembered = new Map<string, Remembered>();

  const dropExpired = (nowMs: number) => {
    for (const [key, entry] of remembered) {
      if (entry.untilMs > nowMs) return;
      remembered.delete(key);
    }
  };

  const remember = (key: string, error: unknown) => {
    if (rememberMs <= 0 || !isRemembered(error)) return;
    const nowMs = clock.nowMs();
    dropExpired(nowMs);
    remembered.delete(key);
    remembered.set(key, { error, untilMs: nowMs + rememberMs });
  };

  return {
    run(key, operation) {
      const found = remembered.get(key);
      if (found !== undefined) {
        if (found.untilMs > clock.nowMs()) return Promise.reject(found.error);
        remembered.delete(key);
      }
      return flight.run(key, () =>
        operation().catch((error: unknown) => {
          remember(key, error);
          throw error;
        }),
      );
    },
  };
}
