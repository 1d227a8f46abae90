import { generateKeyPairSync } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { startFakeGitHub, type FakeGitHub } from '../../src/dev/fake-github.js';
import { createAppJwtSource } from '../../src/github/app-jwt.js';
import { createInstallationTokenMinters } from '../../src/github/installation-tokens.js';
import { createPemSigner } from '../../src/github/rs256-signer.js';
import { retryBudgets } from '../../src/lib/retry-budget.js';
import { createUpstream } from '../../src/lib/upstream.js';
import { createGitHubProfileSource } from '../../src/profile/github-profile-source.js';
import { createInstallationAccess } from '../../src/profile/installation-access.js';
import type { ProfileSource } from '../../src/profile/profile-source.js';

const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
// Real time: the retries really wait (100 ms, or a second for a rate limit).
const clock = { nowMs: () => Date.now() };
const profileText = 'organization:\n  profiles: []\n';

describe('GitHub profile source, with a retry budget per read', () => {
  let github: FakeGitHub;
  afterEach(async () => {
    await github.close();
  });

  async function start(): Promise<ProfileSource> {
    github = await startFakeGitHub({ appId: '123', installationId: '456', publicKey, clock });
    github.setFile('acme', 'profiles', 'profiles.yaml', profileText);
    const upstream = createUpstream({ name: 'github', timeoutMs: 2000, clock });
    const retryBudget = retryBudgets({ clock, budgetMs: 3000, attemptTimeoutMs: 2000 });
    const appJwt = createAppJwtSource({ appId: '123', signer: createPemSigner(privateKey), clock });
    const mint = createInstallationTokenMinters({ apiUrl: github.apiUrl, appJwt, fetch: globalThis.fetch, upstream })('456');
    return createGitHubProfileSource({
      apiUrl: github.apiUrl,
      owner: 'acme',
      repo: 'profiles',
      path: 'profiles.yaml',
      installationToken: createInstallationAccess(mint, clock, retryBudget),
      fetch: globalThis.fetch,
      upstream,
      retryBudget,
    });
  }

  describe('when GitHub fails the read once with 503', () => {
    it('reads again and answers the file', async () => {
      const source = await start();
      github.failContentsNext(503);

      await expect(source.read()).resolves.toBe(profileText);
      expect(github.contentRequests).toBe(2);
    });
  });

  describe('when GitHub fails the reading token once with 500', () => {
    it('mints again and reads the file', async () => {
      const source = await start();
      github.failNext(500);

      await expect(source.read()).resolves.toBe(profileText);
      expect({ mintRequests: github.requests, contentRequests: github.contentRequests }).toEqual({ mintRequests: 2, contentRequests: 1 });
    });
  });

  describe("when the installation's rate limit is spent beyond the budget", () => {
    it('fails with upstream_rate_limited and reads nothing more until the reset', async () => {
      const source = await start();
      const reset = String(Math.floor(Date.now() / 1000) + 600);
      github.failContentsNext(403, 1, { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': reset });

      await expect(source.read()).rejects.toMatchObject({ code: 'upstream_rate_limited' });
      await expect(source.read()).rejects.toMatchObject({ code: 'upstream_rate_limited' });
      expect(github.contentRequests).toBe(1);
    });
  });

  describe('when the read is rate-limited for a second', () => {
    it('waits and reads the file', async () => {
      const source = await start();
      github.failContentsNext(429, 1, { 'retry-after': '1' });

      await expect(source.read()).resolves.toBe(profileText);
      expect(github.contentRequests).toBe(2);
    });
  });
});
