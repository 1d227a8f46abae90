import { generateKeyPairSync } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SignJWT } from 'jose';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { runStandIn } from '../../src/dev/run-stand-in.js';
import type { StandInHandle } from '../../src/dev/start-http-server.js';

describe('runStandIn', () => {
  const handles: StandInHandle[] = [];
  let printed: string[] = [];
  let dir = '';

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'stand-in-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });
  afterEach(async () => {
    vi.restoreAllMocks();
    await Promise.all(handles.splice(0).map((handle) => handle.close()));
    printed = [];
  });
  const capture = (): void => {
    vi.spyOn(process.stdout, 'write').mockImplementation((line: unknown) => {
      printed.push(String(line).replace(/\n$/, ''));
      return true;
    });
  };

  describe('for the OIDC issuer', () => {
    it('prints one line with its URL and its JWKS URL', async () => {
      capture();
      const issuer = await runStandIn('oidc-issuer', [], {});
      handles.push(issuer);
      expect(printed).toEqual([`oidc-issuer listening on ${issuer.url} (JWKS: ${issuer.jwksUrl})`]);
      expect((await fetch(issuer.jwksUrl)).status).toBe(200);
    });

    it('takes the issuer string from --issuer-url and says so', async () => {
      capture();
      const issuer = await runStandIn('oidc-issuer', ['--issuer-url', 'https://issuer.example/org'], {});
      handles.push(issuer);
      expect(issuer.issuer).toBe('https://issuer.example/org');
      expect(printed).toEqual([
        `oidc-issuer listening on ${issuer.url} (JWKS: ${issuer.jwksUrl}, issuer https://issuer.example/org)`,
      ]);
    });

    it.each(['oidc-issuer:9000', 'ftp://issuer.example', 'http://issuer.example/'])(
      'refuses --issuer-url %s',
      async (value) => {
        await expect(runStandIn('oidc-issuer', ['--issuer-url', value], {})).rejects.toMatchObject({
          code: 'stand_in_usage',
        });
      },
    );
  });

  describe('for Buildkite', () => {
    it('takes the API token from the environment and pipelines from repeated flags', async () => {
      capture();
      const buildkite = await runStandIn(
        'buildkite',
        ['--pipeline', 'acme/widget=https://github.com/acme/widget.git', '--pipeline', 'acme/bare='],
        { BUILDKITE_API_TOKEN: 'from-env' },
      );
      handles.push(buildkite);
      expect(printed).toEqual([`buildkite listening on ${buildkite.url}`]);
      const headers = { authorization: 'Bearer from-env' };
      const widget = await fetch(`${buildkite.url}/v2/organizations/acme/pipelines/widget`, { headers });
      expect(await widget.json()).toMatchObject({ repository: 'https://github.com/acme/widget.git' });
      const bare = await fetch(`${buildkite.url}/v2/organizations/acme/pipelines/bare`, { headers });
      expect(await bare.json()).toMatchObject({ repository: '' });
    });

    it('refuses to start without an API token', async () => {
      await expect(runStandIn('buildkite', [], {})).rejects.toMatchObject({ code: 'stand_in_usage' });
    });

    it('refuses a malformed pipeline flag', async () => {
      const run = runStandIn('buildkite', ['--api-token', 't', '--pipeline', 'widget'], {});
      await expect(run).rejects.toMatchObject({ code: 'stand_in_usage' });
    });
  });

  describe('for GitHub', () => {
    it('reads the public key file and serves under the path prefix on the given port', async () => {
      capture();
      const keys = generateKeyPairSync('rsa', { modulusLength: 2048 });
      const keyFile = join(dir, 'app.pub.pem');
      await writeFile(keyFile, keys.publicKey.export({ type: 'spki', format: 'pem' }));
      const argv = ['--app-id', '1', '--installation-id', '2', '--public-key-file', keyFile, '--path-prefix', '/api/v3'];
      const github = await runStandIn('github', argv, {});
      handles.push(github);
      expect(printed).toEqual([`github listening on ${github.url}/api/v3`]);
      const now = Math.floor(Date.now() / 1000);
      const jwt = await new SignJWT({})
        .setProtectedHeader({ alg: 'RS256' })
        .setIssuer('1')
        .setIssuedAt(now - 60)
        .setExpirationTime(now + 540)
        .sign(keys.privateKey);
      const response = await fetch(`${github.apiUrl}/app/installations/2/access_tokens`, {
        method: 'POST',
        headers: { authorization: `Bearer ${jwt}` },
      });
      expect(response.status).toBe(201);
    });

    it('refuses to start without its required flags', async () => {
      await expect(runStandIn('github', ['--app-id', '1'], {})).rejects.toMatchObject({ code: 'stand_in_usage' });
    });
  });

  it('refuses unknown flags and bad ports', async () => {
    await expect(runStandIn('oidc-issuer', ['--nope'], {})).rejects.toMatchObject({ code: 'stand_in_usage' });
    await expect(runStandIn('oidc-issuer', ['--port', '70000'], {})).rejects.toMatchObject({ code: 'stand_in_usage' });
  });
});
