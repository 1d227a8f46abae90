import { CircuitOpenError } from '../errors.js';
import type { Clock } from '../lib/clock.js';

/** Runs calls to one dependency, skipping it for a while after it fails. */
export interface CircuitBreaker {
  run<T>(operation: () => Promise<T>): Promise<T>;
}

/**
 * After a failure, every call fails at once with {@link CircuitOpenError} for `openMs`;
 * then calls go through again. So a hung Valkey (each command waiting out its 200 ms
 * timeout) costs one timeout per second, not several per request.
 */
export function createCircuitBreaker(options: {
  clock: Clock;
  openMs?: number;
  /** Which errors mean the dependency is down (others, such as a bad value, do not open it). */
  isOutage?: (error: unknown) => boolean;
}): CircuitBreaker {
  const openMs = options.openMs ?? 1_000;
  const isOutage = options.isOutage ?? (() => true);
  let openUntilMs = Number.NEGATIVE_INFINITY;
  return {
    async run(operation) {
      if (options.clock.nowMs() < openUntilMs) throw new CircuitOpenError();
      try {
        return await operation();
      } catch (error) {
        if (isOutage(error)) openUntilMs = options.clock.nowMs() + openMs;
        throw error;
      }
    },
  };
}
