import { generateKeyPairSync } from 'node:crypto';
import { pino } from 'pino';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { startFakeGitHub, type FakeGitHub, type FakeGitHubOptions } from '../../src/dev/fake-github.js';
import { createAppJwtSource } from '../../src/github/app-jwt.js';
import { createInstallationTokenMinters } from '../../src/github/installation-tokens.js';
import { createPemSigner } from '../../src/github/rs256-signer.js';
import { createManualClock } from '../../src/lib/clock.js';
import { createUpstream, type Fetch } from '../../src/lib/upstream.js';
import { builtInGeneration } from '../../src/profile/built-in-profiles.js';
import { createGitHubProfileSource, type GitHubProfileSourceOptions } from '../../src/profile/github-profile-source.js';
import { createInstallationAccess } from '../../src/profile/installation-access.js';
import { startProfileRefresh } from '../../src/profile/profile-refresh.js';
import { createProfileStore } from '../../src/profile/profile-store.js';
import { captureLines } from '../support/capture-stream.js';

const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const clock = createManualClock(Date.now());
const upstream = createUpstream({ name: 'github', timeoutMs: 2000, clock });
const profileText = `organization:\n  profiles:\n    - name: deploy\n      repositories: [widget]\n      permissions: [contents:write]\n# ünïcödé survives\n`;

describe('GitHub profile source', () => {
  let github: FakeGitHub;
  afterEach(async () => {
    await github.close();
  });

  /** Starts the fake GitHub and answers a source factory using a real installation token. */
  async function start(overrides: Partial<FakeGitHubOptions> = {}) {
    github = await startFakeGitHub({ appId: '123', installationId: '456', publicKey, clock, ...overrides });
    const mint = createInstallationTokenMinters({
      apiUrl: github.apiUrl,
      appJwt: createAppJwtSource({ appId: '123', signer: createPemSigner(privateKey), clock }),
      fetch: globalThis.fetch,
      upstream,
    })('456');
    const installationToken = createInstallationAccess(mint, clock);
    return (options: Partial<GitHubProfileSourceOptions> = {}) =>
      createGitHubProfileSource({
        apiUrl: github.apiUrl,
        owner: 'acme',
        repo: 'profiles',
        path: 'profiles.yaml',
        installationToken,
        fetch: globalThis.fetch,
        upstream,
        ...options,
      });
  }

  describe('when the file exists', () => {
    it("reports the installation's rate-limit headroom from the contents answer", async () => {
      const seen: number[] = [];
      const source = (await start())({ onRateLimitRemaining: (remaining) => seen.push(remaining) });
      github.setFile('acme', 'profiles', 'profiles.yaml', profileText);
      await source.read();
      expect(seen).toEqual([4999]);
    });

    it('answers its decoded text, read with an installation token for the whole installation', async () => {
      const source = (await start())();
      github.setFile('acme', 'profiles', 'profiles.yaml', profileText.repeat(3));
      await expect(source.read()).resolves.toBe(profileText.repeat(3));
      expect(github.mints).toHaveLength(1);
      expect(github.mints[0]?.repositories).toBeUndefined();
      expect(Object.keys(github.mints[0]?.permissions ?? {})).toEqual([]);
    });

    it('is located at github:<owner>/<repo>/<path>', async () => {
      const source = (await start())({ path: '.buildkite/org profiles.yaml' });
      expect(source.location).toBe('github:acme/profiles/.buildkite/org profiles.yaml');
    });

    it('encodes each path segment and keeps the slashes', async () => {
      const source = (await start())({ path: '.buildkite/org profiles#1.yaml' });
      github.setFile('acme', 'profiles', '.buildkite/org profiles#1.yaml', profileText);
      await expect(source.read()).resolves.toBe(profileText);
    });

    it('reuses the installation token for later reads', async () => {
      const source = (await start())();
      github.setFile('acme', 'profiles', 'profiles.yaml', profileText);
      await source.read();
      await source.read();
      expect(github.mints).toHaveLength(1);
      expect(github.contentRequests).toBe(2);
    });

    it('talks to GitHub Enterprise Server under /api/v3', async () => {
      const source = (await start({ pathPrefix: '/api/v3' }))();
      github.setFile('acme', 'profiles', 'profiles.yaml', profileText);
      await expect(source.read()).resolves.toBe(profileText);
    });

    it('accepts an API URL with a trailing slash', async () => {
      const source = (await start())({ apiUrl: `${github.apiUrl}/` });
      github.setFile('acme', 'profiles', 'profiles.yaml', profileText);
      await expect(source.read()).resolves.toBe(profileText);
    });
  });

  describe('when the file cannot be read', () => {
    it('rejects with upstream_failed HTTP 404 for a missing file', async () => {
      const source = (await start())();
      await expect(source.read()).rejects.toMatchObject({
        code: 'upstream_failed',
        upstream: 'github',
        operation: 'profile file',
        detail: 'HTTP 404',
      });
    });

    it('rejects a directory', async () => {
      const source = (await start())({ path: 'config' });
      github.setFile('acme', 'profiles', 'config/profiles.yaml', profileText);
      await expect(source.read()).rejects.toMatchObject({
        code: 'upstream_failed',
        detail: 'path config in repo acme/profiles is a directory, expected a file',
      });
    });

    it('rejects with HTTP 401 when the token is not accepted, without naming the token', async () => {
      const source = (await start())({ installationToken: () => Promise.resolve('ghs_forged') });
      github.setFile('acme', 'profiles', 'profiles.yaml', profileText);
      const failure: unknown = await source.read().catch((error: unknown) => error);
      expect(failure).toMatchObject({ code: 'upstream_failed', detail: 'HTTP 401' });
      expect(String(failure)).not.toContain('ghs_forged');
    });
  });

  describe('when refreshed in the background', () => {
    it('keeps the loaded profiles when the file goes away, and logs no token', async () => {
      const source = (await start())();
      github.setFile('acme', 'profiles', 'profiles.yaml', 'v1');
      const logs = captureLines();
      const store = createProfileStore(builtInGeneration());
      const pending: (() => void)[] = [];
      const refresh = startProfileRefresh({
        source,
        compile: (text) => ({ ok: true, generation: { ...builtInGeneration(), digest: text }, warnings: [] }),
        store,
        clock,
        intervalMs: 300_000,
        logger: pino({ level: 'debug' }, logs.stream),
        timers: { setTimeout: (callback) => pending.push(callback), clearTimeout: () => undefined },
      });
      await refresh.firstLoad;
      github.setFile('acme', 'profiles', 'profiles.yaml', undefined);
      pending.shift()?.();
      // The run ends by scheduling the next one.
      await vi.waitFor(() => expect(pending).toHaveLength(1));
      refresh.stop();
      expect(store.current()?.digest).toBe('v1');
      expect(logs.lines.map((line) => line.msg)).toEqual(['profiles: updated', 'profile refresh failed']);
      expect(logs.lines[1]).toMatchObject({ location: 'github:acme/profiles/profiles.yaml', err: { detail: 'HTTP 404' } });
      const token = github.mints[0]?.token ?? 'no token minted';
      expect(logs.raw()).not.toContain(token);
    });
  });
});

describe('GitHub profile source reading odd answers', () => {
  /** A fetch standing in for GitHub at the HTTP boundary: one canned answer, requests recorded. */
  function cannedFetch(status: number, body: unknown) {
    const requests: Request[] = [];
    const fetch: Fetch = (input, init) => {
      requests.push(new Request(input, init));
      return Promise.resolve(new Response(JSON.stringify(body), { status }));
    };
    return { fetch, requests };
  }

  const sourceWith = (fetch: Fetch) =>
    createGitHubProfileSource({
      apiUrl: 'https://ghe.example.com/api/v3',
      owner: 'acme',
      repo: 'profiles',
      path: 'dir/profiles.yaml',
      installationToken: () => Promise.resolve('ghs_installation'),
      fetch,
      upstream,
    });

  it("sends the token and GitHub's API headers to the contents URL under the API prefix", async () => {
    const canned = cannedFetch(200, { type: 'file', encoding: 'base64', content: 'YTog\nMQo=\n' });
    await expect(sourceWith(canned.fetch).read()).resolves.toBe('a: 1\n');
    const [request] = canned.requests;
    expect(request?.url).toBe('https://ghe.example.com/api/v3/repos/acme/profiles/contents/dir/profiles.yaml');
    expect(request?.method).toBe('GET');
    expect(request?.headers.get('authorization')).toBe('Bearer ghs_installation');
    expect(request?.headers.get('accept')).toBe('application/vnd.github+json');
    expect(request?.headers.get('x-github-api-version')).toBe('2022-11-28');
  });

  const refused: [string, unknown, string][] = [
    ['a directory answered as type dir', { type: 'dir' }, 'is a directory, expected a file'],
    ['a file over 1 MB (encoding none)', { type: 'file', encoding: 'none', content: '' }, 'is too large'],
    ['a file with null content', { type: 'file', encoding: 'base64', content: null }, 'returned no content'],
    ['a file without content', { type: 'file' }, 'returned no content'],
    ['a null body', null, 'returned no content'],
    ['a symlink', { type: 'symlink', target: 'elsewhere.yaml' }, 'is a symlink, expected a file'],
    ['an unknown encoding', { type: 'file', encoding: 'utf-16', content: 'x' }, 'unsupported content encoding'],
  ];
  it.each(refused)('rejects %s with upstream_failed', async (_name, body, detail) => {
    await expect(sourceWith(cannedFetch(200, body).fetch).read()).rejects.toMatchObject({
      code: 'upstream_failed',
      operation: 'profile file',
      detail: expect.stringContaining(detail),
    });
  });

  it('rejects a server error with its status', async () => {
    await expect(sourceWith(cannedFetch(503, { message: 'unavailable' }).fetch).read()).rejects.toMatchObject({
      code: 'upstream_failed',
      detail: 'HTTP 503',
    });
  });
});
