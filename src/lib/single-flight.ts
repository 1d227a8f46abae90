/**
 * Runs one operation per key at a time: callers asking for a key already in flight share
 * its outcome (value or error) instead of starting their own.
 */
export interface SingleFlight<T> {
  run(key: string, operation: () => Promise<T>): Promise<T>;
}

export function createSingleFlight<T>(): SingleFlight<T> {
  const inflight = new Map<string, Promise<T>>();
  return {
    run(key, operation) {
      const existing = inflight.get(key);
      if (existing !== undefined) return existing;
      const started = operation().finally(() => inflight.delete(key));
      inflight.set(key, started);
      return started;
    },
  };
}
