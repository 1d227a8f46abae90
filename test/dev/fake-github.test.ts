import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { SignJWT } from 'jose';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startFakeGitHub, type FakeGitHub, type FakeGitHubOptions } from '../../src/dev/fake-github.js';
import { createManualClock } from '../../src/lib/clock.js';

const appId = '12345';
const installationId = '67890';
const appKeys = generateKeyPairSync('rsa', { modulusLength: 2048 });
const strangerKeys = generateKeyPairSync('rsa', { modulusLength: 2048 });
const clock = createManualClock(Date.UTC(2026, 10, 23, 18, 0, 0));
const nowSecs = (): number => Math.floor(clock.nowMs() / 1000);

/** An App JWT as GitHub's docs describe: iat backdated 60 s, exp 10 minutes ahead. */
function signAppJwt(options: { key?: KeyObject; iss?: string; lifetimeSecs?: number } = {}): Promise<string> {
  const iat = nowSecs() - 60;
  return new SignJWT({})
    .setProtectedHeader({ alg: 'RS256' })
    .setIssuer(options.iss ?? appId)
    .setIssuedAt(iat)
    .setExpirationTime(iat + (options.lifetimeSecs ?? 660))
    .sign(options.key ?? appKeys.privateKey);
}

async function requestToken(
  github: FakeGitHub,
  input: { jwt: string; installation?: string; body?: unknown },
): Promise<Response> {
  return fetch(`${github.apiUrl}/app/installations/${input.installation ?? installationId}/access_tokens`, {
    method: 'POST',
    headers: { authorization: `Bearer ${input.jwt}`, accept: 'application/vnd.github+json' },
    body: JSON.stringify(input.body ?? {}),
  });
}

describe('fake GitHub', () => {
  let github: FakeGitHub;
  const start = async (overrides: Partial<FakeGitHubOptions> = {}): Promise<FakeGitHub> => {
    github = await startFakeGitHub({ appId, installationId, publicKey: appKeys.publicKey, clock, ...overrides });
    return github;
  };
  afterEach(async () => {
    await github.close();
  });

  describe('when a valid App JWT asks for a token', () => {
    it('answers 201 with a ghs_ token expiring in an hour and records the mint', async () => {
      await start();
      const jwt = await signAppJwt();
      const body = { repositories: ['widget'], permissions: { contents: 'read' } };
      const response = await requestToken(github, { jwt, body });
      expect(response.status).toBe(201);
      const token: unknown = await response.json();
      expect(token).toEqual({
        token: expect.stringMatching(/^ghs_[A-Za-z0-9]{36}$/),
        expires_at: '2026-11-23T19:00:00Z',
        permissions: { contents: 'read' },
        repository_selection: 'selected',
        repositories: [{ name: 'widget' }],
      });
      expect(github.mints).toEqual([
        {
          repositories: ['widget'],
          permissions: { contents: 'read' },
          token: expect.stringMatching(/^ghs_/),
          expiresAt: '2026-11-23T19:00:00Z',
          appJwt: jwt,
        },
      ]);
      expect(github.requests).toBe(1);
    });

    it('mints a different token each time', async () => {
      await start();
      const jwt = await signAppJwt();
      await requestToken(github, { jwt });
      await requestToken(github, { jwt });
      const [first, second] = github.mints;
      expect(first?.token).not.toBe(second?.token);
    });
  });

  describe('when the App JWT is not acceptable', () => {
    const cases: [string, () => Promise<string>][] = [
      ['signed by another key', () => signAppJwt({ key: strangerKeys.privateKey })],
      ['issued for another app', () => signAppJwt({ iss: '999' })],
      ['living longer than ten minutes', () => signAppJwt({ lifetimeSecs: 661 + 60 })],
      ['not a JWT at all', () => Promise.resolve('not-a-jwt')],
    ];
    it.each(cases)('answers 401 for a JWT %s and mints nothing', async (_name, makeJwt) => {
      await start();
      const response = await requestToken(github, { jwt: await makeJwt() });
      expect(response.status).toBe(401);
      expect(await response.json()).toEqual({ message: 'A JSON web token could not be decoded' });
      expect(github.mints).toEqual([]);
    });

    it('answers 401 once the clock passes the JWT expiry', async () => {
      await start();
      const jwt = await signAppJwt();
      clock.advanceMs(601_000);
      try {
        expect((await requestToken(github, { jwt })).status).toBe(401);
      } finally {
        clock.advanceMs(-601_000);
      }
    });
  });

  describe('when the installation id is not the App installation', () => {
    it('answers 404 Not Found', async () => {
      await start();
      const response = await requestToken(github, { jwt: await signAppJwt(), installation: '1' });
      expect(response.status).toBe(404);
      expect(await response.json()).toEqual({ message: 'Not Found' });
    });
  });

  describe('when a repository is outside the installation', () => {
    it('answers 422 and mints nothing', async () => {
      await start({ repositories: ['widget'] });
      const response = await requestToken(github, {
        jwt: await signAppJwt(),
        body: { repositories: ['widget', 'secret'] },
      });
      expect(response.status).toBe(422);
      expect(await response.json()).toEqual({
        message:
          'There is at least one repository that does not exist or is not accessible to the parent installation.',
      });
      expect(github.mints).toEqual([]);
    });
  });

  describe('when acting as GitHub Enterprise Server with a PEM public key', () => {
    it('serves the route under /api/v3 only', async () => {
      const pem = appKeys.publicKey.export({ type: 'spki', format: 'pem' }).toString();
      await start({ pathPrefix: '/api/v3', publicKey: pem });
      expect(github.apiUrl).toBe(`${github.url}/api/v3`);
      const jwt = await signAppJwt();
      expect((await requestToken(github, { jwt })).status).toBe(201);
      const bare = await fetch(`${github.url}/app/installations/${installationId}/access_tokens`, {
        method: 'POST',
        headers: { authorization: `Bearer ${jwt}` },
      });
      expect(bare.status).toBe(404);
      expect(github.requests).toBe(1);
    });
  });

  describe('when told to fail or delay', () => {
    it('answers the scripted status with a message, then recovers', async () => {
      await start();
      github.failNext(500);
      const jwt = await signAppJwt();
      const failed = await requestToken(github, { jwt });
      expect(failed.status).toBe(500);
      expect(await failed.json()).toEqual({ message: expect.any(String) });
      expect((await requestToken(github, { jwt })).status).toBe(201);
      expect(github.requests).toBe(2);
    });

    it('lets a client time out', async () => {
      await start({ delayMs: 2_000 });
      const request = fetch(`${github.apiUrl}/app/installations/${installationId}/access_tokens`, {
        method: 'POST',
        headers: { authorization: `Bearer ${await signAppJwt()}` },
        signal: AbortSignal.timeout(100),
      });
      await expect(request).rejects.toMatchObject({ name: 'TimeoutError' });
    });
  });
});

describe('fake GitHub request body validation', () => {
  let github: FakeGitHub;
  beforeAll(async () => {
    github = await startFakeGitHub({ appId, installationId, publicKey: appKeys.publicKey, clock });
  });
  afterAll(async () => {
    await github.close();
  });

  it('answers 422 for a malformed permissions map', async () => {
    const response = await requestToken(github, { jwt: await signAppJwt(), body: { permissions: { contents: 'admin' } } });
    expect(response.status).toBe(422);
  });

  it('records a request without repositories or permissions as undefined', async () => {
    await requestToken(github, { jwt: await signAppJwt() });
    expect(github.mints.at(-1)).toMatchObject({ repositories: undefined, permissions: undefined });
  });
});

describe('fake GitHub contents route', () => {
  let github: FakeGitHub;
  afterEach(async () => {
    await github.close();
  });

  async function start(overrides: Partial<FakeGitHubOptions> = {}): Promise<string> {
    github = await startFakeGitHub({ appId, installationId, publicKey: appKeys.publicKey, clock, ...overrides });
    const minted = await requestToken(github, { jwt: await signAppJwt() });
    const body: unknown = await minted.json();
    const token = typeof body === 'object' && body !== null && 'token' in body ? body.token : undefined;
    if (typeof token !== 'string') throw new TypeError('the fake minted no token');
    return token;
  }

  const getContents = (path: string, token: string | undefined, base = github.apiUrl): Promise<Response> =>
    fetch(`${base}/repos/acme/profiles/contents/${path}`, {
      headers: token === undefined ? {} : { authorization: `Bearer ${token}` },
    });

  describe('when a minted token reads a file set with setFile', () => {
    it('answers the file as GitHub does: base64 with a newline every 60 characters', async () => {
      const token = await start();
      const text = `organization:\n  profiles:\n${'    - name: deploy-something-long\n'.repeat(4)}`;
      github.setFile('acme', 'profiles', 'config/org profiles.yaml', text);
      const response = await getContents('config/org%20profiles.yaml', token);
      expect(response.status).toBe(200);
      const body: unknown = await response.json();
      expect(body).toEqual({
        type: 'file',
        encoding: 'base64',
        name: 'org profiles.yaml',
        path: 'config/org profiles.yaml',
        sha: expect.stringMatching(/^[0-9a-f]{40}$/),
        size: Buffer.byteLength(text),
        content: expect.stringMatching(/^([A-Za-z0-9+/=]{60}\n)+[A-Za-z0-9+/=]{1,60}\n$/),
      });
      const content = typeof body === 'object' && body !== null && 'content' in body ? String(body.content) : '';
      expect(Buffer.from(content, 'base64').toString('utf8')).toBe(text);
      expect(github.contentRequests).toBe(1);
    });

    it('answers a directory with the list of its entries', async () => {
      const token = await start();
      github.setFile('acme', 'profiles', 'config/profiles.yaml', 'a: 1\n');
      const response = await getContents('config', token);
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual([expect.objectContaining({ type: 'file', path: 'config/profiles.yaml' })]);
    });

    it('serves the route under /api/v3 only when acting as GitHub Enterprise Server', async () => {
      const token = await start({ pathPrefix: '/api/v3' });
      github.setFile('acme', 'profiles', 'profiles.yaml', 'a: 1\n');
      expect((await getContents('profiles.yaml', token)).status).toBe(200);
      expect((await getContents('profiles.yaml', token, github.url)).status).toBe(404);
    });
  });

  describe('when the file is missing or was deleted', () => {
    it('answers 404 Not Found', async () => {
      const token = await start();
      github.setFile('acme', 'profiles', 'profiles.yaml', 'a: 1\n');
      github.setFile('acme', 'profiles', 'profiles.yaml', undefined);
      const response = await getContents('profiles.yaml', token);
      expect(response.status).toBe(404);
      expect(await response.json()).toEqual({ message: 'Not Found' });
    });
  });

  describe('when the caller holds no token this fake minted', () => {
    const cases: [string, string | undefined][] = [
      ['no Authorization header', undefined],
      ['a token it never minted', 'ghs_forged'],
    ];
    it.each(cases)('answers 401 Bad credentials for %s', async (_name, token) => {
      await start();
      github.setFile('acme', 'profiles', 'profiles.yaml', 'a: 1\n');
      const response = await getContents('profiles.yaml', token);
      expect(response.status).toBe(401);
      expect(await response.json()).toEqual({ message: 'Bad credentials' });
      expect(github.contentRequests).toBe(1);
    });

    it('answers 401 once the minted token expired', async () => {
      const token = await start({ tokenLifetimeSecs: 60 });
      github.setFile('acme', 'profiles', 'profiles.yaml', 'a: 1\n');
      clock.advanceMs(61_000);
      try {
        expect((await getContents('profiles.yaml', token)).status).toBe(401);
      } finally {
        clock.advanceMs(-61_000);
      }
    });
  });
});
