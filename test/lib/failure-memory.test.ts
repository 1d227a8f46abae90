import { describe, expect, it } from 'vitest';
import { UpstreamFailedError, UpstreamRefusedError } from '../../src/errors.js';
import { createManualClock } from '../../src/lib/clock.js';
import { createFailureMemory } from '../../src/lib/failure-memory.js';

const refused = new UpstreamRefusedError('buildkite', 'pipeline acme/ghost not found');

function setUp(rememberMs = 30_000) {
  const clock = createManualClock(0);
  const memory = createFailureMemory<string>({ clock, rememberMs, isRemembered: (error) => error instanceof UpstreamRefusedError });
  let calls = 0;
  const failWith = (error: unknown) => () => {
    calls += 1;
    return Promise.reject(error);
  };
  const succeed = () => {
    calls += 1;
    return Promise.resolve(`answer ${calls}`);
  };
  return { clock, memory, failWith, succeed, calls: () => calls };
}

describe('failure memory', () => {
  describe('when a remembered failure happens', () => {
    it('answers the same error without running the operation until the window ends', async () => {
      const { clock, memory, failWith, succeed, calls } = setUp();
      await expect(memory.run('acme/ghost', failWith(refused))).rejects.toBe(refused);
      clock.advanceMs(29_999);
      await expect(memory.run('acme/ghost', succeed)).rejects.toBe(refused);
      expect(calls()).toBe(1);

      clock.advanceMs(1);
      await expect(memory.run('acme/ghost', succeed)).resolves.toBe('answer 2');
      expect(calls()).toBe(2);
    });

    it('keeps each key apart', async () => {
      const { memory, failWith, succeed } = setUp();
      await expect(memory.run('acme/ghost', failWith(refused))).rejects.toBe(refused);
      await expect(memory.run('acme/widget', succeed)).resolves.toBe('answer 2');
    });
  });

  describe('when a failure is not one to remember', () => {
    it('runs the operation again on the next call', async () => {
      const { memory, failWith, succeed, calls } = setUp();
      const failed = new UpstreamFailedError('github', 'installation token', 'HTTP 500');
      await expect(memory.run('k', failWith(failed))).rejects.toBe(failed);
      await expect(memory.run('k', succeed)).resolves.toBe('answer 2');
      expect(calls()).toBe(2);
    });
  });

  describe('with a window of 0', () => {
    it('remembers nothing', async () => {
      const { memory, failWith, succeed } = setUp(0);
      await expect(memory.run('k', failWith(refused))).rejects.toBe(refused);
      await expect(memory.run('k', succeed)).resolves.toBe('answer 2');
    });
  });

  describe('when callers ask concurrently', () => {
    it('runs one operation and gives every caller its outcome', async () => {
      const { memory, calls } = setUp();
      let reject: (error: unknown) => void = () => undefined;
      let started = 0;
      const pending = () => {
        started += 1;
        return new Promise<string>((_resolve, fail) => {
          reject = fail;
        });
      };
      const callers = Array.from({ length: 50 }, () => memory.run('acme/ghost', pending));
      reject(refused);

      const outcomes = await Promise.allSettled(callers);
      expect(outcomes.every((outcome) => outcome.status === 'rejected' && outcome.reason === refused)).toBe(true);
      expect(started).toBe(1);
      expect(calls()).toBe(0);
    });

    it('shares a success while in flight but keeps nothing afterwards', async () => {
      const { memory, succeed, calls } = setUp();
      await expect(Promise.all([memory.run('k', succeed), memory.run('k', succeed)])).resolves.toEqual(['answer 1', 'answer 1']);
      await expect(memory.run('k', succeed)).resolves.toBe('answer 2');
      expect(calls()).toBe(2);
    });
  });
});
