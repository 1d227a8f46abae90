import { describe, expect, it } from 'vitest';
import { createSingleFlight } from '../../src/lib/single-flight.js';

/** A promise the test settles by hand. */
function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

describe('single flight', () => {
  describe('when callers ask for a key already in flight', () => {
    it('runs the operation once and gives every caller its value', async () => {
      const flight = createSingleFlight<string>();
      const gate = deferred<string>();
      let runs = 0;
      const operation = () => {
        runs += 1;
        return gate.promise;
      };
      const callers = Array.from({ length: 10 }, () => flight.run('k', operation));
      gate.resolve('value');
      await expect(Promise.all(callers)).resolves.toEqual(Array.from({ length: 10 }, () => 'value'));
      expect(runs).toBe(1);
    });

    it('gives every caller the same error', async () => {
      const flight = createSingleFlight<string>();
      const gate = deferred<string>();
      const failure = Object.assign(new Error('upstream down'), { code: 'upstream_failed' });
      const callers = [flight.run('k', () => gate.promise), flight.run('k', () => gate.promise)];
      gate.reject(failure);
      const results = await Promise.allSettled(callers);
      expect(results).toEqual([
        { status: 'rejected', reason: failure },
        { status: 'rejected', reason: failure },
      ]);
    });
  });

  describe('when the keys differ', () => {
    it('runs each on its own', async () => {
      const flight = createSingleFlight<string>();
      let runs = 0;
      const operation = async () => `run ${++runs}`;
      await expect(Promise.all([flight.run('a', operation), flight.run('b', operation)])).resolves.toEqual(['run 1', 'run 2']);
    });
  });

  describe('when the run has settled', () => {
    it('starts a new run for the next caller, after a value', async () => {
      const flight = createSingleFlight<number>();
      let runs = 0;
      const operation = async () => ++runs;
      await expect(flight.run('k', operation)).resolves.toBe(1);
      await expect(flight.run('k', operation)).resolves.toBe(2);
    });

    it('starts a new run for the next caller, after an error', async () => {
      const flight = createSingleFlight<number>();
      await expect(flight.run('k', () => Promise.reject(new Error('first')))).rejects.toThrow();
      await expect(flight.run('k', async () => 2)).resolves.toBe(2);
    });
  });
});
