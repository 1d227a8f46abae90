import { describe, expect, it } from 'vitest';
import { runValkeyCommand, valkeyCommandTimeoutMs } from '../../src/cache/valkey-command.js';
import { createManualClock } from '../../src/lib/clock.js';
import { createUpstream, type UpstreamCallEvent } from '../../src/lib/upstream.js';

function recordingUpstream() {
  const events: UpstreamCallEvent[] = [];
  const upstream = createUpstream({ name: 'valkey', timeoutMs: 10, clock: createManualClock(0), observe: (event) => events.push(event) });
  return { events, upstream };
}

describe('valkey command', () => {
  describe('when the command answers', () => {
    it('answers its value and reports ok', async () => {
      const { events, upstream } = recordingUpstream();
      await expect(runValkeyCommand('GET', () => Promise.resolve('v'), upstream)).resolves.toBe('v');
      expect(events).toEqual([expect.objectContaining({ operation: 'GET', outcome: 'ok' })]);
    });
  });

  describe('when the command fails', () => {
    it('throws valkey_command_failed with the failure as the cause, reported as failed', async () => {
      const { events, upstream } = recordingUpstream();
      const failure = Object.assign(new Error('connection is closed'), { code: 'ECONNRESET' });
      await expect(runValkeyCommand('SET', () => Promise.reject(failure), upstream)).rejects.toMatchObject({
        code: 'valkey_command_failed',
        command: 'SET',
        cause: failure,
      });
      expect(events).toEqual([expect.objectContaining({ operation: 'SET', outcome: 'failed' })]);
    });
  });

  describe('when the command gets no answer within the command timeout', () => {
    it('throws valkey_command_failed caused by valkey_timeout, reported as timeout', async () => {
      const { events, upstream } = recordingUpstream();
      const started = performance.now();
      await expect(runValkeyCommand('GET', () => new Promise<never>(() => undefined), upstream)).rejects.toMatchObject({
        code: 'valkey_command_failed',
        cause: { code: 'valkey_timeout', command: 'GET', timeoutMs: valkeyCommandTimeoutMs },
      });
      expect(performance.now() - started).toBeGreaterThanOrEqual(valkeyCommandTimeoutMs - 50);
      expect(events).toEqual([expect.objectContaining({ operation: 'GET', outcome: 'timeout' })]);
    });

    it('reports a timeout without an upstream too', async () => {
      await expect(runValkeyCommand('DEL', () => new Promise<never>(() => undefined))).rejects.toMatchObject({
        cause: { code: 'valkey_timeout' },
      });
    });
  });
});
