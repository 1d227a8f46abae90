import { createHmac, generateKeyPairSync } from 'node:crypto';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildClaims } from '../../src/dev/issued-claims.js';
import { demoAudience } from '../../src/dev/demo-world.js';
import { startOidcIssuer, type OidcIssuer } from '../../src/dev/oidc-issuer.js';
import { startHarness, type Harness } from '../support/harness.js';
import { postCredentials, postToken, credentialInput } from '../support/requests.js';

let h: Harness;
let stranger: OidcIssuer;
beforeAll(async () => {
  h = await startHarness();
  stranger = await startOidcIssuer();
});
afterAll(async () => {
  await h.close();
  await stranger.close();
});

const invalidBody = '{"error":"invalid_token","error_description":"The access token is invalid"}\n';
const invalidChallenge = 'Bearer realm="api", error="invalid_token", error_description="The access token is invalid"';
const b64 = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
const nowSecs = () => Math.floor(Date.now() / 1000);

/** Every way a presented token can be wrong; each must look the same to the caller. */
const badTokens: Record<string, () => Promise<string>> = {
  expired: () => h.token({ iat: nowSecs() - 400, nbf: nowSecs() - 400, exp: nowSecs() - 60 }),
  'not yet valid': () => h.token({ nbf: nowSecs() + 120 }),
  'wrong audience': () => h.token({}, { audience: 'chinmina:other' }),
  'wrong issuer': () => h.token({ iss: 'https://agent.buildkite.com' }),
  'wrong organization': () => h.token({ organization_slug: 'evil-corp' }),
  'missing pipeline_id': () => h.token({ pipeline_id: undefined }),
  'missing job_id': () => h.token({ job_id: undefined }),
  'missing sub': () => h.token({ sub: undefined }),
  'missing exp': () => h.token({ exp: undefined }),
  // A string where Buildkite sends a number: the overrides are typed, so the test casts.
  'build_number not a number': () => h.token({ build_number: '42' as unknown as number }),
  'foreign key with our kid': () =>
    stranger.signToken({ iss: h.world.issuer.url }, { audience: demoAudience, header: { kid: 'dev-key-1' } }),
  'unknown kid': () => stranger.signToken({ iss: h.world.issuer.url }, { audience: demoAudience, header: { kid: 'nope' } }),
  'alg none': async () => {
    const claims = buildClaims({ issuer: h.world.issuer.url, audience: demoAudience, nowSecs: nowSecs(), lifetimeSecs: 300 }, {});
    return `${b64({ alg: 'none', typ: 'JWT' })}.${b64(claims)}.`;
  },
  HS256: async () => {
    const claims = buildClaims({ issuer: h.world.issuer.url, audience: demoAudience, nowSecs: nowSecs(), lifetimeSecs: 300 }, {});
    const input = `${b64({ alg: 'HS256', typ: 'JWT', kid: 'dev-key-1' })}.${b64(claims)}`;
    return `${input}.${createHmac('sha256', 'secret').update(input).digest('base64url')}`;
  },
  'RS384 with our key': async () => {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    return new SignJWT(buildClaims({ issuer: h.world.issuer.url, audience: demoAudience, nowSecs: nowSecs(), lifetimeSecs: 300 }, {}))
      .setProtectedHeader({ alg: 'RS384', kid: 'dev-key-1' })
      .sign(privateKey);
  },
  tampered: async () => {
    const [header, , signature] = (await h.token()).split('.');
    const forged = buildClaims(
      { issuer: h.world.issuer.url, audience: demoAudience, nowSecs: nowSecs(), lifetimeSecs: 300 },
      { pipeline_slug: 'secrets' },
    );
    return `${header}.${b64(forged)}.${signature}`;
  },
  garbage: async () => 'invalid.jwt.token',
};

describe('authentication of vending routes', () => {
  it('answers a request without Authorization with the bare challenge', async () => {
    const response = await postToken(h.app, '/token', undefined);

    expect(response.statusCode).toBe(401);
    expect(response.headers['www-authenticate']).toBe('Bearer realm="api"');
    expect(response.body).toBe('{"error":"invalid_token"}\n');
  });

  describe.each(Object.keys(badTokens))('with a token that is %s', (cause) => {
    it.each([['/token'], ['/git-credentials'], ['/token/release']])('answers %s with the one generic 401', async (url) => {
      const token = await badTokens[cause]?.();
      const before = h.world.github.requests;
      const response = await postCredentials(h.app, url, token, credentialInput('acme/widget.git'));

      expect(response.statusCode).toBe(401);
      expect(response.headers['www-authenticate']).toBe(invalidChallenge);
      expect(response.body).toBe(invalidBody);
      expect(h.world.github.requests).toBe(before);
      const record = h.audit.lines.at(-1);
      expect(record).toMatchObject({ outcome: 'denied', authorization: { authorized: false }, request: { status: 401 } });
      expect(record).not.toHaveProperty('pipeline');
      expect(String(record?.error)).toMatch(/^JWT authorization failure: /);
      expect(h.audit.raw()).not.toContain(String(token));
    });
  });

  it.each([['Basic abc'], ['Bearer'], ['Bearer a b'], ['Token x']])('refuses the header "%s" with the generic 401', async (header) => {
    const response = await h.app.inject({ method: 'POST', url: '/token', headers: { authorization: header } });

    expect(response.statusCode).toBe(401);
    expect(response.body).toBe(invalidBody);
  });

  it('accepts the Bearer scheme in any case', async () => {
    const response = await h.app.inject({
      method: 'POST',
      url: '/token',
      headers: { authorization: `bEaReR ${await h.token()}` },
    });

    expect(response.statusCode).toBe(200);
  });

  it('authenticates before reading the body: an oversize body without a token is 401, not 413', async () => {
    const response = await postCredentials(h.app, '/git-credentials', undefined, 'x'.repeat(40 * 1024));

    expect(response.statusCode).toBe(401);
  });
});
