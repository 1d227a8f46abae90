import { generateKeyPairSync } from 'node:crypto';
import { pino } from 'pino';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { startFakeGitHub, type FakeGitHub } from '../../src/dev/fake-github.js';
import { createAppJwtSource } from '../../src/github/app-jwt.js';
import { createInstallationDirectory, type InstallationDirectory, type ServedAccount } from '../../src/github/installation-directory.js';
import { createInstallationDiscovery } from '../../src/github/installation-discovery.js';
import { createPemSigner } from '../../src/github/rs256-signer.js';
import { createManualClock } from '../../src/lib/clock.js';
import { createUpstream } from '../../src/lib/upstream.js';
import { captureLines } from '../support/capture-stream.js';
import { createManualTimers } from '../support/manual-timers.js';

const appKeys = generateKeyPairSync('rsa', { modulusLength: 2048 });
const clock = createManualClock(Date.now());
const timers = createManualTimers((ms) => clock.advanceMs(ms));
const minute = 60_000;

let github: FakeGitHub;
let directory: InstallationDirectory | undefined;
afterEach(async () => {
  directory?.stop();
  directory = undefined;
  await github.close();
});

async function start(accounts: readonly ServedAccount[] = [], prepare: (g: FakeGitHub) => void = () => undefined) {
  github = await startFakeGitHub({
    appId: '12',
    installationId: '100',
    account: 'Acme',
    publicKey: appKeys.publicKey,
    clock,
    installations: [
      { id: '200', account: 'acme-oss' },
      { id: '300', account: 'solo-dev', accountType: 'User' },
    ],
  });
  prepare(github);
  const logs = captureLines();
  const rateLimits: number[] = [];
  const discovery = createInstallationDiscovery({
    apiUrl: github.apiUrl,
    appJwt: createAppJwtSource({ appId: '12', signer: createPemSigner(appKeys.privateKey), clock }),
    fetch: globalThis.fetch,
    upstream: createUpstream({ name: 'github', timeoutMs: 2000, clock }),
    onRateLimitRemaining: (remaining) => rateLimits.push(remaining),
  });
  const built = createInstallationDirectory({ defaultInstallationId: '100', accounts, discovery, clock, logger: pino({}, logs.stream), timers: timers.timers, random: () => 1 });
  directory = built;
  return { directory: built, logs, rateLimits };
}

describe('installation directory', () => {
  describe('at start-up', () => {
    it("learns and logs the default installation's account as GitHub spells it", async () => {
      const { directory, logs, rateLimits } = await start();
      await directory.defaultAccountKnown;

      expect(directory.defaultAccount()).toBe('Acme');
      expect(logs.lines).toContainEqual(expect.objectContaining({ msg: 'default installation account', installationId: '100', account: 'Acme' }));
      expect(rateLimits).toEqual([4999]);
      expect(await directory.installationFor('ACME')).toEqual({ served: true, installation: { id: '100', account: 'Acme' } });
    });

    it('retries with growing delays while GitHub fails, and is not known until then', async () => {
      const { directory, logs } = await start([], (g) => g.failDiscoveryNext(503, 3));
      await vi.waitFor(() => expect(timers.delays()).toEqual([1000]));
      await timers.fire();
      await vi.waitFor(() => expect(timers.delays()).toEqual([2000]));
      await timers.fire();
      await vi.waitFor(() => expect(timers.delays()).toEqual([4000]));

      expect(directory.defaultAccount()).toBeUndefined();
      await expect(directory.installationFor('acme')).rejects.toMatchObject({ code: 'not_ready' });
      await timers.fire();
      await directory.defaultAccountKnown;
      expect(directory.defaultAccount()).toBe('Acme');
      expect(logs.lines.filter((line) => line.msg === 'default installation lookup failed')).toHaveLength(3);
    });

    it('serves a listed account before the default one is known', async () => {
      const { directory } = await start([{ login: 'acme-oss', installationId: '200' }], (g) => g.failDiscoveryNext(503));

      expect(directory.serves('acme-oss')).toBe(true);
      expect(() => directory.serves('acme')).toThrow(expect.objectContaining({ code: 'not_ready' }));
    });

    it('rejects defaultAccountKnown with not_ready when stopped first', async () => {
      const { directory } = await start([], (g) => g.failDiscoveryNext(503));
      directory.stop();

      await expect(directory.defaultAccountKnown).rejects.toMatchObject({ code: 'not_ready' });
    });
  });

  describe('for a pinned account', () => {
    it('answers the configured installation without asking GitHub', async () => {
      const { directory } = await start([{ login: 'Pinned-Org', installationId: '777' }]);
      await directory.defaultAccountKnown;

      expect(await directory.installationFor('pinned-org')).toEqual({ served: true, installation: { id: '777', account: 'Pinned-Org' } });
      expect(github.discoveryRequests).toEqual({ 'app-installation': 1, 'org-installation': 0, 'user-installation': 0 });
    });
  });

  describe('for a discovered account', () => {
    it('asks GitHub once, however many lookups follow, concurrent or not, in any case', async () => {
      const { directory } = await start([{ login: 'ACME-OSS' }]);
      await directory.defaultAccountKnown;

      const answers = await Promise.all([directory.installationFor('acme-oss'), directory.installationFor('Acme-Oss')]);
      await directory.installationFor('ACME-OSS');

      expect(answers).toEqual([0, 1].map(() => ({ served: true, installation: { id: '200', account: 'acme-oss' } })));
      expect(github.discoveryRequests).toEqual({ 'app-installation': 1, 'org-installation': 1, 'user-installation': 0 });
      expect(directory.accountName('ACME-OSS')).toBe('acme-oss');
    });

    it('falls back to the user installation, and asks again after an hour', async () => {
      const { directory } = await start([{ login: 'solo-dev' }]);
      await directory.defaultAccountKnown;

      expect(await directory.installationFor('solo-dev')).toEqual({ served: true, installation: { id: '300', account: 'solo-dev' } });
      clock.advanceMs(59 * minute);
      await directory.installationFor('solo-dev');
      expect(github.discoveryRequests).toEqual({ 'app-installation': 1, 'org-installation': 1, 'user-installation': 1 });
      clock.advanceMs(minute);
      await directory.installationFor('solo-dev');
      expect(github.discoveryRequests).toEqual({ 'app-installation': 1, 'org-installation': 2, 'user-installation': 2 });
    });

    it('remembers that there is no installation for five minutes', async () => {
      const { directory } = await start([{ login: 'not-installed' }]);
      await directory.defaultAccountKnown;

      const refusal = { served: false, reason: 'the App has no installation on the account "not-installed"' };
      expect(await directory.installationFor('not-installed')).toEqual(refusal);
      clock.advanceMs(5 * minute - 1);
      expect(await directory.installationFor('not-installed')).toEqual(refusal);
      expect(github.discoveryRequests['org-installation']).toBe(1);
      clock.advanceMs(1);
      await directory.installationFor('not-installed');
      expect(github.discoveryRequests['org-installation']).toBe(2);
    });

    it('does not remember a failure', async () => {
      const { directory } = await start([{ login: 'acme-oss' }]);
      await directory.defaultAccountKnown;
      github.failDiscoveryNext(500);

      await expect(directory.installationFor('acme-oss')).rejects.toMatchObject({ code: 'upstream_failed', operation: 'installation discovery' });
      expect(await directory.installationFor('acme-oss')).toMatchObject({ served: true });
    });
  });

  describe('for an owner that is not served', () => {
    it('refuses naming the owner, without asking GitHub', async () => {
      const { directory } = await start([{ login: 'acme-oss' }]);
      await directory.defaultAccountKnown;

      expect(directory.serves('evilcorp')).toBe(false);
      expect(await directory.installationFor('evilcorp')).toEqual({ served: false, reason: 'owner "evilcorp" is not an account this bridge serves' });
      expect(github.discoveryRequests).toEqual({ 'app-installation': 1, 'org-installation': 0, 'user-installation': 0 });
    });
  });
});
