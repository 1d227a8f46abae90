import { afterEach, describe, expect, it } from 'vitest';
import { createManualClock } from '../../src/lib/clock.js';
import { startHarness, type Harness } from '../support/harness.js';
import { postToken } from '../support/requests.js';

let h: Harness;
afterEach(async () => h.close());

const minutes = (n: number) => n * 60_000;

describe('the guaranteed remaining token lifetime', () => {
  it('serves a cached token only while 45 minutes of its hour remain, then mints anew', async () => {
    const clock = createManualClock(Date.now());
    h = await startHarness({ clock });
    const oidc = await h.token({}, { lifetimeSecs: 3600 * 2 });
    const first = (await postToken(h.app, '/token', oidc)).json<{ token: string }>().token;

    clock.advanceMs(minutes(14));
    const warm = (await postToken(h.app, '/token', oidc)).json<{ token: string }>().token;
    clock.advanceMs(minutes(2));
    const renewed = (await postToken(h.app, '/token', oidc)).json<{ token: string; expiry: string }>();

    expect(warm).toBe(first);
    expect(renewed.token).not.toBe(first);
    expect(Date.parse(renewed.expiry) - clock.nowMs()).toBeGreaterThanOrEqual(minutes(45));
    expect(h.world.github.mints).toHaveLength(2);
  });

  it('returns a fresh token shorter-lived than the minimum but does not cache it', async () => {
    h = await startHarness({ world: { tokenLifetimeSecs: 30 * 60 } });
    const oidc = await h.token();
    const first = await postToken(h.app, '/token', oidc);
    const second = await postToken(h.app, '/token', oidc);

    expect([first.statusCode, second.statusCode]).toEqual([200, 200]);
    expect(second.json<{ token: string }>().token).not.toBe(first.json<{ token: string }>().token);
    expect(h.world.github.mints).toHaveLength(2);
  });

  it('caches for longer when operators lower CACHE_MIN_TOKEN_LIFETIME_SECS', async () => {
    h = await startHarness({ world: { tokenLifetimeSecs: 30 * 60 }, env: { CACHE_MIN_TOKEN_LIFETIME_SECS: '600' } });
    const oidc = await h.token();
    await postToken(h.app, '/token', oidc);
    await postToken(h.app, '/token', oidc);

    expect(h.world.github.mints).toHaveLength(1);
  });
});
