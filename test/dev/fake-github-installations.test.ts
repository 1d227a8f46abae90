import { generateKeyPairSync } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { startFakeGitHub, type FakeGitHub } from '../../src/dev/fake-github.js';
import { createAppJwtSource } from '../../src/github/app-jwt.js';
import { createPemSigner } from '../../src/github/rs256-signer.js';
import { systemClock } from '../../src/lib/clock.js';

const appKeys = generateKeyPairSync('rsa', { modulusLength: 2048 });
const appJwt = createAppJwtSource({ appId: '12', signer: createPemSigner(appKeys.privateKey), clock: systemClock });

let github: FakeGitHub;
afterEach(async () => github.close());

async function start(): Promise<FakeGitHub> {
  github = await startFakeGitHub({
    appId: '12',
    installationId: '100',
    account: 'acme',
    publicKey: appKeys.publicKey,
    installations: [
      { id: '200', account: 'Acme-OSS', repositories: ['gizmo'] },
      { id: '300', account: 'solo-dev', accountType: 'User' },
    ],
  });
  return github;
}

async function get(path: string, authorization?: string): Promise<{ status: number; body: unknown; remaining: string | null }> {
  const response = await fetch(`${github.apiUrl}${path}`, {
    headers: { authorization: authorization ?? `Bearer ${await appJwt()}` },
  });
  return { status: response.status, body: await response.json(), remaining: response.headers.get('x-ratelimit-remaining') };
}

async function mint(installation: string, repositories?: string[]): Promise<Response> {
  return fetch(`${github.apiUrl}/app/installations/${installation}/access_tokens`, {
    method: 'POST',
    headers: { authorization: `Bearer ${await appJwt()}` },
    body: JSON.stringify(repositories === undefined ? {} : { repositories }),
  });
}

describe('the GitHub stand-in with installations on several accounts', () => {
  describe('GET /app/installations/{id}', () => {
    it('describes each installation with its account, and answers 404 for an unknown one', async () => {
      await start();

      expect(await get('/app/installations/100')).toEqual({
        status: 200,
        body: { id: 100, account: { login: 'acme', type: 'Organization' }, target_type: 'Organization', repository_selection: 'all' },
        remaining: '4999',
      });
      expect(await get('/app/installations/300')).toMatchObject({ status: 200, body: { account: { login: 'solo-dev', type: 'User' } } });
      expect(await get('/app/installations/999')).toEqual({ status: 404, body: { message: 'Not Found' }, remaining: '4997' });
      expect(github.discoveryRequests).toEqual({ 'app-installation': 3, 'org-installation': 0, 'user-installation': 0 });
    });

    it('answers 401 without a valid App JWT', async () => {
      await start();

      expect(await get('/app/installations/100', 'Bearer not-a-jwt')).toMatchObject({ status: 401 });
    });
  });

  describe('GET /orgs/{login}/installation and /users/{login}/installation', () => {
    it('find an organization by its login in any case, and a user only through /users', async () => {
      await start();

      expect(await get('/orgs/acme-oss/installation')).toMatchObject({ status: 200, body: { id: 200, account: { login: 'Acme-OSS' } } });
      expect(await get('/orgs/solo-dev/installation')).toMatchObject({ status: 404 });
      expect(await get('/users/solo-dev/installation')).toMatchObject({ status: 200, body: { id: 300 } });
      expect(await get('/users/acme-oss/installation')).toMatchObject({ status: 404 });
      expect(github.discoveryRequests).toEqual({ 'app-installation': 0, 'org-installation': 2, 'user-installation': 2 });
    });

    it('answers scripted failures before anything else', async () => {
      await start();
      github.failDiscoveryNext(503, 2);

      expect([(await get('/orgs/acme/installation')).status, (await get('/orgs/acme/installation')).status]).toEqual([503, 503]);
      expect(await get('/orgs/acme/installation')).toMatchObject({ status: 200, body: { id: 100 } });
    });
  });

  describe('minting on a further installation', () => {
    it("mints against that installation, for its repositories only, and remembers whose token it is", async () => {
      await start();

      const minted = (await (await mint('200', ['gizmo'])).json()) as { token: string };
      const refused = await mint('200', ['widget']);

      expect(refused.status).toBe(422);
      expect(github.mints).toHaveLength(1);
      expect(github.installationOf(minted.token)).toBe('200');
      expect(github.installationOf('ghs_unknown')).toBeUndefined();
    });

    it("lets a token read files of its own account's repositories only", async () => {
      await start();
      github.setFile('acme', 'ci-config', 'profiles.yaml', 'a: 1\n');
      github.setFile('Acme-OSS', 'gizmo', 'profiles.yaml', 'b: 2\n');
      const { token } = (await (await mint('200')).json()) as { token: string };

      expect((await get('/repos/acme-oss/gizmo/contents/profiles.yaml', `Bearer ${token}`)).status).toBe(404);
      expect((await get('/repos/Acme-OSS/gizmo/contents/profiles.yaml', `Bearer ${token}`)).status).toBe(200);
      expect((await get('/repos/acme/ci-config/contents/profiles.yaml', `Bearer ${token}`)).status).toBe(404);
    });
  });
});
