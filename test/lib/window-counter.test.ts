import { describe, expect, it } from 'vitest';
import { createManualClock } from '../../src/lib/clock.js';
import { fallbackWindowCounter } from '../../src/lib/fallback-window-counter.js';
import { createLocalWindowCounter } from '../../src/lib/window-counter.js';
import { capturedLogger } from '../vending/vend-fixtures.js';

const windowMs = 60_000;

describe('local window counter', () => {
  it('counts per key within a window aligned to the clock, and says when it ends', async () => {
    const clock = createManualClock(10 * windowMs + 15_000);
    const count = createLocalWindowCounter({ clock, windowMs });
    expect(await count('acme/widget')).toEqual({ count: 1, resetsInMs: 45_000 });
    clock.advanceMs(44_999);
    expect(await count('acme/widget')).toEqual({ count: 2, resetsInMs: 1 });
    expect(await count('acme/gadget')).toEqual({ count: 1, resetsInMs: 1 });
  });

  it('starts every key from zero in the next window', async () => {
    const clock = createManualClock(0);
    const count = createLocalWindowCounter({ clock, windowMs });
    await count('acme/widget');
    await count('acme/widget');
    clock.advanceMs(windowMs);
    expect(await count('acme/widget')).toEqual({ count: 1, resetsInMs: windowMs });
  });
});

describe('fallback window counter', () => {
  it('counts with the primary while it answers', async () => {
    const logs = capturedLogger();
    const local = createLocalWindowCounter({ clock: createManualClock(0), windowMs });
    const count = fallbackWindowCounter(() => Promise.resolve({ count: 7, resetsInMs: 30_000 }), local, logs.logger);
    expect(await count('acme/widget')).toEqual({ count: 7, resetsInMs: 30_000 });
    expect(logs.lines).toEqual([]);
  });

  it('counts on the fallback, with a warning, when the primary fails', async () => {
    const logs = capturedLogger();
    const local = createLocalWindowCounter({ clock: createManualClock(0), windowMs });
    const count = fallbackWindowCounter(() => Promise.reject(new Error('valkey down')), local, logs.logger);
    expect(await count('acme/widget')).toEqual({ count: 1, resetsInMs: windowMs });
    expect(await count('acme/widget')).toEqual({ count: 2, resetsInMs: windowMs });
    expect(logs.lines.map((line) => line['msg'])).toEqual([
      'shared counter unavailable, counting on this instance',
      'shared counter unavailable, counting on this instance',
    ]);
  });
});
