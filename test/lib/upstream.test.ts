import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { UpstreamFailedError, UpstreamRefusedError } from '../../src/errors.js';
import { createManualClock } from '../../src/lib/clock.js';
import { retryBudgets } from '../../src/lib/retry-budget.js';
import { createUpstream, readJson, type UpstreamCallEvent, type UpstreamRetryEvent } from '../../src/lib/upstream.js';

function recordingUpstream(timeoutMs = 200) {
  const clock = createManualClock(1_000);
  const events: UpstreamCallEvent[] = [];
  const upstream = createUpstream({ name: 'github', timeoutMs, clock, observe: (event) => events.push(event) });
  return { clock, events, upstream };
}

/** Waits until the signal aborts, then rejects as fetch does. */
const untilAborted = (signal: AbortSignal) =>
  new Promise<never>((_, reject) => signal.addEventListener('abort', () => reject(signal.reason)));

/** A port nothing listens on (taken, then released). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

describe('upstream', () => {
  describe('when the call succeeds', () => {
    it('answers its value and reports ok with the time it took on the clock', async () => {
      const { clock, events, upstream } = recordingUpstream();
      const value = await upstream.call('installation token', async () => {
        clock.advanceMs(42);
        return 'value';
      });
      expect(value).toBe('value');
      expect(events).toEqual([{ upstream: 'github', operation: 'installation token', durationMs: 42, outcome: 'ok' }]);
    });
  });

  describe('when the deadline passes', () => {
    it('throws upstream_timeout and reports timeout', async () => {
      const { events, upstream } = recordingUpstream(100);
      await expect(upstream.call('slow', untilAborted)).rejects.toMatchObject({
        code: 'upstream_timeout',
        upstream: 'github',
        operation: 'slow',
        timeoutMs: 100,
      });
      expect(events).toEqual([expect.objectContaining({ operation: 'slow', outcome: 'timeout' })]);
    });
  });

  describe('when the call throws one of our errors', () => {
    it('passes a refusal through and reports refused', async () => {
      const { events, upstream } = recordingUpstream();
      const refusal = new UpstreamRefusedError('github', 'repositories not accessible');
      await expect(upstream.call('mint', () => Promise.reject(refusal))).rejects.toBe(refusal);
      expect(events).toEqual([expect.objectContaining({ outcome: 'refused' })]);
    });

    it('passes a failure through and reports failed', async () => {
      const { events, upstream } = recordingUpstream();
      const failure = new UpstreamFailedError('github', 'mint', 'HTTP 500');
      await expect(upstream.call('mint', () => Promise.reject(failure))).rejects.toBe(failure);
      expect(events).toEqual([expect.objectContaining({ outcome: 'failed' })]);
    });
  });

  describe('when the call throws anything else', () => {
    it('answers upstream_failed whose detail is the transport error code, never its message', async () => {
      const { events, upstream } = recordingUpstream(2000);
      const port = await closedPort();
      const call = upstream.call('lookup', (signal) => fetch(`http://127.0.0.1:${port}/secret-path?token=abc`, { signal }));
      await expect(call).rejects.toMatchObject({ code: 'upstream_failed', detail: 'ECONNREFUSED' });
      await call.catch((error: unknown) => expect(String(error)).not.toContain('token=abc'));
      expect(events).toEqual([expect.objectContaining({ operation: 'lookup', outcome: 'failed' })]);
    });

    it('names an error without a code by its class name', async () => {
      const { upstream } = recordingUpstream();
      await expect(upstream.call('x', () => Promise.reject(new TypeError('leaky detail')))).rejects.toMatchObject({
        code: 'upstream_failed',
        detail: 'TypeError',
      });
    });

    it('names a thrown non-error as unknown', async () => {
      const { upstream } = recordingUpstream();
      await expect(upstream.call('x', () => Promise.reject('a string'))).rejects.toMatchObject({
        code: 'upstream_failed',
        detail: 'unknown error',
      });
    });
  });

  describe('when no observer is given', () => {
    it('still runs the call', async () => {
      const upstream = createUpstream({ name: 'oidc', timeoutMs: 100, clock: createManualClock(0) });
      await expect(upstream.call('x', async () => 1)).resolves.toBe(1);
    });
  });
});

describe('readJson', () => {
  it('answers the parsed body', async () => {
    await expect(readJson(new Response('{"a":[1]}'))).resolves.toEqual({ a: [1] });
  });

  it('answers undefined for a body that is not JSON', async () => {
    await expect(readJson(new Response('<html>'))).resolves.toBeUndefined();
  });

  describe('when given a budget and a connection fails once', () => {
    it('reports both attempts, and the retry between them', async () => {
      const clock = createManualClock(1_000);
      const events: UpstreamCallEvent[] = [];
      const retries: UpstreamRetryEvent[] = [];
      const upstream = createUpstream({
        name: 'github',
        timeoutMs: 200,
        clock,
        observe: (event) => events.push(event),
        observeRetry: (event) => retries.push(event),
        // Timers that fire at once, moving the clock on by their delay.
        retry: {
          timers: {
            setTimeout: (callback, delayMs) => {
              clock.advanceMs(delayMs);
              return setImmediate(callback);
            },
            clearTimeout: () => undefined,
          },
        },
      });
      const budget = retryBudgets({ clock, budgetMs: 1000, attemptTimeoutMs: 200 })();
      let attempts = 0;
      const answer = await upstream.call(
        'installation token',
        async () => {
          attempts += 1;
          if (attempts === 1) throw Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
          return 'minted';
        },
        { budget },
      );

      expect(answer).toBe('minted');
      expect(events.map((event) => event.outcome)).toEqual(['failed', 'ok']);
      expect(retries).toEqual([{ upstream: 'github', operation: 'installation token', reason: 'failed' }]);
    });
  });
});
