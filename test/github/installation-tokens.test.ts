import { generateKeyPairSync } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { startFakeGitHub, type FakeGitHub, type FakeGitHubOptions } from '../../src/dev/fake-github.js';
import { createAppJwtSource } from '../../src/github/app-jwt.js';
import {
  createInstallationTokenMinters,
  type InstallationTokenMinter,
  type InstallationTokenMinters,
  type InstallationTokenMinterOptions,
} from '../../src/github/installation-tokens.js';
import { createPemSigner } from '../../src/github/rs256-signer.js';
import { createManualClock } from '../../src/lib/clock.js';
import { createUpstream } from '../../src/lib/upstream.js';

const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const request = { repositories: ['widget'], permissions: { contents: 'read', metadata: 'read' } } as const;

describe('installation token minter', () => {
  let github: FakeGitHub;
  let minters: InstallationTokenMinters;
  const clock = createManualClock(Date.now());

  afterEach(async () => {
    await github.close();
  });

  async function start(
    options: Partial<FakeGitHubOptions> = {},
    timeoutMs = 2000,
    minterOptions: Partial<InstallationTokenMinterOptions> = {},
  ): Promise<InstallationTokenMinter> {
    github = await startFakeGitHub({ appId: '123', installationId: '456', publicKey, clock, ...options });
    minters = createInstallationTokenMinters({
      apiUrl: github.apiUrl,
      appJwt: createAppJwtSource({ appId: '123', signer: createPemSigner(privateKey), clock }),
      fetch: globalThis.fetch,
      upstream: createUpstream({ name: 'github', timeoutMs, clock }),
      ...minterOptions,
    });
    return minters(options.installationId ?? '456');
  }

  describe('when GitHub mints the token', () => {
    it('answers the token and its expiry, having asked for the repositories and permissions', async () => {
      const mint = await start({ repositories: ['widget', 'gadget'] });
      const token = await mint(request);
      expect(github.mints).toEqual([
        expect.objectContaining({ repositories: ['widget'], permissions: { contents: 'read', metadata: 'read' } }),
      ]);
      expect(token).toEqual({ token: github.mints[0]?.token, expiresAt: github.mints[0]?.expiresAt });
      expect(token.token).toMatch(/^ghs_/);
    });

    it('asks for every repository of the installation when none are named', async () => {
      const mint = await start();
      await mint({ repositories: undefined, permissions: { contents: 'read' } });
      expect(github.mints).toEqual([expect.objectContaining({ repositories: undefined, permissions: { contents: 'read' } })]);
    });

    it('reuses one App JWT across mints', async () => {
      const mint = await start();
      await mint(request);
      await mint(request);
      expect(github.mints[0]?.appJwt).toBe(github.mints[1]?.appJwt);
    });

    it('talks to GitHub Enterprise Server under /api/v3', async () => {
      const mint = await start({ pathPrefix: '/api/v3' });
      expect(github.apiUrl).toMatch(/\/api\/v3$/);
      await expect(mint(request)).resolves.toMatchObject({ token: expect.stringMatching(/^ghs_/) });
      expect(github.mints).toHaveLength(1);
    });
  });

  describe('when GitHub refuses the repositories (422)', () => {
    it('answers upstream_refused', async () => {
      const mint = await start({ repositories: ['gadget'] });
      await expect(mint(request)).rejects.toMatchObject({ code: 'upstream_refused', upstream: 'github' });
    });
  });

  describe('when GitHub fails', () => {
    it.each([500, 502, 401, 404])('answers upstream_failed for HTTP %i', async (status) => {
      const mint = await start();
      github.failNext(status);
      await expect(mint(request)).rejects.toMatchObject({ code: 'upstream_failed', detail: `HTTP ${status}` });
    });

    it('answers upstream_failed when the App JWT is not the App’s', async () => {
      const mint = await start({ publicKey: generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey });
      await expect(mint(request)).rejects.toMatchObject({ code: 'upstream_failed', detail: 'HTTP 401' });
    });

    it('answers upstream_timeout when GitHub is slower than the deadline', async () => {
      const mint = await start({ delayMs: 2000 }, 200);
      await expect(mint(request)).rejects.toMatchObject({ code: 'upstream_timeout', timeoutMs: 200 });
    });

    it('answers upstream_failed when nothing listens', async () => {
      const mint = await start();
      await github.close();
      await expect(mint(request)).rejects.toMatchObject({ code: 'upstream_failed', upstream: 'github' });
    });
  });

  describe('when GitHub says the App is rate-limited', () => {
    it.each([
      ['429 with Retry-After', 429, { 'retry-after': '120' }],
      ['a secondary-limit 403 with Retry-After', 403, { 'retry-after': '120' }],
    ])('answers upstream_rate_limited for %s, and asks nothing more until then', async (_case, status, headers) => {
      const mint = await start();
      github.failNext(status, 1, headers);
      await expect(mint(request)).rejects.toMatchObject({ code: 'upstream_rate_limited', retryAfterSeconds: 120 });
      await expect(mint(request)).rejects.toMatchObject({ code: 'upstream_rate_limited' });
      expect(github.requests).toBe(1);
    });

    it('shares the limit with every minter of the App', async () => {
      const mint = await start({ installations: [{ id: '789', account: 'acme-oss' }] });
      github.failNext(429, 1, { 'retry-after': '120' });
      await expect(mint(request)).rejects.toMatchObject({ code: 'upstream_rate_limited' });
      await expect(minters('789')(request)).rejects.toMatchObject({ code: 'upstream_rate_limited' });
      expect(github.requests).toBe(1);
    });

    it('answers a plain 403 upstream_failed, and asks again next time', async () => {
      const mint = await start();
      github.failNext(403, 1, { 'x-ratelimit-remaining': '17' });
      await expect(mint(request)).rejects.toMatchObject({ code: 'upstream_failed', detail: 'HTTP 403' });
      await expect(mint(request)).resolves.toMatchObject({ token: expect.stringMatching(/^ghs_/) });
    });
  });

  describe("when GitHub's answers carry x-ratelimit-remaining", () => {
    it('reports the headroom of every answer, a refusal included', async () => {
      const seen: number[] = [];
      const mint = await start({ repositories: ['widget'] }, 2000, { onRateLimitRemaining: (remaining) => seen.push(remaining) });
      await mint(request);
      await expect(mint({ ...request, repositories: ['gadget'] })).rejects.toMatchObject({ code: 'upstream_refused' });
      expect(seen).toEqual([4999, 4998]);
    });
  });

  describe('when the installation id is beyond 2^53', () => {
    it('asks for the exact installation', async () => {
      const mint = await start({ installationId: '9007199254740993' });
      await expect(mint(request)).resolves.toMatchObject({ token: expect.stringMatching(/^ghs_/) });
    });
  });
});
