import { describe, expect, it } from 'vitest';
import { createCircuitBreaker } from '../../src/cache/circuit-breaker.js';
import { createManualClock } from '../../src/lib/clock.js';

describe('circuit breaker', () => {
  it('skips the dependency for a second after an outage, then tries it again', async () => {
    const clock = createManualClock(0);
    const breaker = createCircuitBreaker({ clock });
    let calls = 0;
    const failing = () => {
      calls += 1;
      return Promise.reject(new Error('down'));
    };

    await expect(breaker.run(failing)).rejects.toThrow('down');
    await expect(breaker.run(failing)).rejects.toMatchObject({ code: 'circuit_open' });
    clock.advanceMs(1_000);
    await expect(breaker.run(async () => 'back')).resolves.toBe('back');
    expect(calls).toBe(1);
  });

  it('stays closed for errors that are not outages', async () => {
    const breaker = createCircuitBreaker({ clock: createManualClock(0), isOutage: () => false });

    await expect(breaker.run(() => Promise.reject(new Error('bad value')))).rejects.toThrow('bad value');
    await expect(breaker.run(async () => 'fine')).resolves.toBe('fine');
  });
});
