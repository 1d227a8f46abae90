import { describe, expect, it } from 'vitest';
import { UpstreamFailedError } from '../../src/errors.js';
import type { InstallationTokenMinter, MintRequest } from '../../src/github/installation-tokens.js';
import { createManualClock, type ManualClock } from '../../src/lib/clock.js';
import { createInstallationAccess } from '../../src/profile/installation-access.js';

const hourMs = 3_600_000;

/** A minter answering `ghs_1`, `ghs_2`, … living an hour (or `expiresAt`); `state.failNext` fails one mint. */
function fakeMinter(clock: ManualClock, expiresAt?: string) {
  const requests: MintRequest[] = [];
  const state = { failNext: false };
  const mint: InstallationTokenMinter = (request) => {
    requests.push(request);
    if (state.failNext) {
      state.failNext = false;
      return Promise.reject(new UpstreamFailedError('github', 'installation token', 'HTTP 500'));
    }
    return Promise.resolve({
      token: `ghs_${requests.length}`,
      expiresAt: expiresAt ?? new Date(clock.nowMs() + hourMs).toISOString(),
    });
  };
  return { mint, requests, state };
}

describe('installation access', () => {
  it("asks for every repository with the installation's own permissions", async () => {
    const clock = createManualClock(Date.UTC(2026, 0, 1));
    const minter = fakeMinter(clock);
    await expect(createInstallationAccess(minter.mint, clock)()).resolves.toBe('ghs_1');
    expect(minter.requests).toEqual([{ repositories: undefined, permissions: {} }]);
  });

  describe('when a token was minted', () => {
    it('reuses it until five minutes before it expires, then mints a new one', async () => {
      const clock = createManualClock(Date.UTC(2026, 0, 1));
      const minter = fakeMinter(clock);
      const access = createInstallationAccess(minter.mint, clock);
      await access();
      clock.advanceMs(55 * 60_000 - 1);
      await expect(access()).resolves.toBe('ghs_1');
      clock.advanceMs(1);
      await expect(access()).resolves.toBe('ghs_2');
      expect(minter.requests).toHaveLength(2);
    });
  });

  describe('when callers ask at the same time', () => {
    it('shares one mint between them', async () => {
      const clock = createManualClock(Date.UTC(2026, 0, 1));
      const minter = fakeMinter(clock);
      const access = createInstallationAccess(minter.mint, clock);
      await expect(Promise.all([access(), access(), access()])).resolves.toEqual(['ghs_1', 'ghs_1', 'ghs_1']);
      expect(minter.requests).toHaveLength(1);
    });
  });

  describe('when a mint fails', () => {
    it('rejects with the minter error and mints again on the next call', async () => {
      const clock = createManualClock(Date.UTC(2026, 0, 1));
      const minter = fakeMinter(clock);
      minter.state.failNext = true;
      const access = createInstallationAccess(minter.mint, clock);
      await expect(access()).rejects.toMatchObject({ code: 'upstream_failed', detail: 'HTTP 500' });
      await expect(access()).resolves.toBe('ghs_2');
    });
  });

  describe('when GitHub sends an expiry that does not parse', () => {
    it('never reuses the token', async () => {
      const clock = createManualClock(Date.UTC(2026, 0, 1));
      const minter = fakeMinter(clock, 'soon');
      const access = createInstallationAccess(minter.mint, clock);
      await access();
      await expect(access()).resolves.toBe('ghs_2');
    });
  });
});
