import { describe, expect, it } from 'vitest';
import { createManualClock } from '../../src/lib/clock.js';
import { createUpstream, type UpstreamCallEvent } from '../../src/lib/upstream.js';

function recordingUpstream() {
  const clock = createManualClock(1_000);
  const events: UpstreamCallEvent[] = [];
  const upstream = createUpstream({ name: 'valkey', timeoutMs: 10, clock, observe: (event) => events.push(event) });
  return { clock, events, upstream };
}

describe('upstream measure', () => {
  describe('when the call succeeds', () => {
    it('answers its value and reports ok with the time it took, adding no deadline', async () => {
      const { clock, events, upstream } = recordingUpstream();
      const value = await upstream.measure('GET', async () => {
        clock.advanceMs(3);
        // Longer than the upstream's 10 ms deadline, which measure does not apply.
        await new Promise((resolve) => setTimeout(resolve, 30));
        return 'value';
      });
      expect(value).toBe('value');
      expect(events).toEqual([{ upstream: 'valkey', operation: 'GET', durationMs: 3, outcome: 'ok' }]);
    });
  });

  describe('when the call fails', () => {
    it('rethrows the very error and reports failed by default', async () => {
      const { events, upstream } = recordingUpstream();
      const error = new Error('connection is closed');
      await expect(upstream.measure('SET', () => Promise.reject(error))).rejects.toBe(error);
      expect(events).toEqual([expect.objectContaining({ operation: 'SET', outcome: 'failed' })]);
    });

    it('reports the outcome the caller reads from the error', async () => {
      const { events, upstream } = recordingUpstream();
      const error = new Error('no answer');
      await expect(upstream.measure('GET', () => Promise.reject(error), (e) => (e === error ? 'timeout' : 'failed'))).rejects.toBe(error);
      expect(events).toEqual([expect.objectContaining({ outcome: 'timeout' })]);
    });
  });
});
