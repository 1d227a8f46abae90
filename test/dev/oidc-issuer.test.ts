import { createLocalJWKSet, createRemoteJWKSet, decodeJwt, decodeProtectedHeader, jwtVerify } from 'jose';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createManualClock } from '../../src/lib/clock.js';
import { startOidcIssuer, type OidcIssuer } from '../../src/dev/oidc-issuer.js';

describe('dev OIDC issuer', () => {
  let issuer: OidcIssuer;
  const clock = createManualClock(Date.UTC(2026, 10, 23, 18, 0, 0));

  beforeEach(async () => {
    issuer = await startOidcIssuer({ clock });
  });
  afterEach(async () => {
    await issuer.close();
  });

  it('publishes a discovery document whose issuer is exactly its url', async () => {
    const response = await fetch(`${issuer.url}/.well-known/openid-configuration`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ issuer: issuer.url, jwks_uri: `${issuer.url}/.well-known/jwks.json` });
    expect(issuer.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it('publishes its public key as a JWKS and counts the fetches', async () => {
    const response = await fetch(issuer.jwksUrl);
    const jwks: unknown = await response.json();
    expect(jwks).toEqual({
      keys: [{ kty: 'RSA', n: expect.any(String), e: 'AQAB', kid: 'dev-key-1', alg: 'RS256', use: 'sig' }],
    });
    expect(jwks).toEqual(issuer.jwks);
    expect(issuer.jwksRequests).toBe(1);
  });

  describe('when it signs a token with no overrides', () => {
    it('yields an RS256 JWT with Buildkite-like claims that verifies against the remote JWKS', async () => {
      const token = await issuer.signToken();
      const { payload, protectedHeader } = await jwtVerify(token, createRemoteJWKSet(new URL(issuer.jwksUrl)), {
        issuer: issuer.url,
        audience: 'app-token-issuer',
        currentDate: new Date(clock.nowMs()),
      });
      const now = clock.nowMs() / 1000;
      expect(protectedHeader).toEqual({ alg: 'RS256', typ: 'JWT', kid: 'dev-key-1' });
      expect(payload).toEqual({
        iss: issuer.url,
        aud: 'app-token-issuer',
        sub: 'organization:acme:pipeline:widget:ref:refs/heads/main:commit:abc123:step:build',
        iat: now,
        nbf: now,
        exp: now + 300,
        organization_slug: 'acme',
        pipeline_slug: 'widget',
        pipeline_id: '0190a1b2-0000-7000-8000-000000000001',
        build_number: 42,
        build_branch: 'main',
        build_commit: 'abc123',
        step_key: 'build',
        job_id: '0190a1b2-0000-7000-8000-0000000000aa',
        agent_id: '0190a1b2-0000-7000-8000-0000000000bb',
      });
    });
  });

  describe('when claims and options are given', () => {
    it('overrides defaults, adds extra claims and derives the subject from the merged claims', async () => {
      const token = await issuer.signToken(
        { pipeline_slug: 'gadget', build_branch: 'feature/x', build_tag: 'v1' },
        { audience: 'other', lifetimeSecs: 60 },
      );
      const claims = decodeJwt(token);
      expect(claims).toMatchObject({
        aud: 'other',
        pipeline_slug: 'gadget',
        build_tag: 'v1',
        sub: 'organization:acme:pipeline:gadget:ref:refs/heads/feature/x:commit:abc123:step:build',
      });
      expect((claims.exp ?? 0) - (claims.iat ?? 0)).toBe(60);
    });

    it('removes a claim given as undefined', async () => {
      const claims = decodeJwt(await issuer.signToken({ pipeline_slug: undefined, exp: undefined }));
      expect(claims).not.toHaveProperty('pipeline_slug');
      expect(claims).not.toHaveProperty('exp');
      expect(claims).toHaveProperty('organization_slug', 'acme');
    });

    it('applies header overrides', async () => {
      const token = await issuer.signToken({}, { header: { kid: 'unknown-key', typ: undefined } });
      expect(decodeProtectedHeader(token)).toEqual({ alg: 'RS256', kid: 'unknown-key' });
    });
  });

  describe('when a key is rotated', () => {
    it('signs with the new key and keeps the old key published', async () => {
      const before = await issuer.signToken();
      expect(await issuer.rotateKey()).toBe('dev-key-2');
      const after = await issuer.signToken();
      expect(decodeProtectedHeader(after).kid).toBe('dev-key-2');
      expect(issuer.jwks.keys.map((key) => key.kid)).toEqual(['dev-key-1', 'dev-key-2']);
      const keys = createLocalJWKSet(issuer.jwks);
      const options = { currentDate: new Date(clock.nowMs()) };
      await expect(jwtVerify(before, keys, options)).resolves.toBeDefined();
      await expect(jwtVerify(after, keys, options)).resolves.toBeDefined();
    });
  });

  describe('when set unavailable', () => {
    it('answers 503 for discovery and JWKS, still counting JWKS requests, until set available', async () => {
      issuer.setUnavailable(true);
      expect((await fetch(`${issuer.url}/.well-known/openid-configuration`)).status).toBe(503);
      expect((await fetch(issuer.jwksUrl)).status).toBe(503);
      expect(issuer.jwksRequests).toBe(1);
      issuer.setUnavailable(false);
      expect((await fetch(issuer.jwksUrl)).status).toBe(200);
      expect(issuer.jwksRequests).toBe(2);
    });
  });

  describe('GET /request-token', () => {
    it('returns a signed token as text with the requested audience and job claims', async () => {
      const response = await fetch(`${issuer.url}/request-token?audience=bridge&pipeline_slug=gizmo&organization_slug=acme2`);
      expect(response.headers.get('content-type')).toMatch(/^text\/plain/);
      const token = (await response.text()).trim();
      const { payload } = await jwtVerify(token, createLocalJWKSet(issuer.jwks), {
        issuer: issuer.url,
        audience: 'bridge',
        currentDate: new Date(clock.nowMs()),
      });
      expect(payload).toMatchObject({ pipeline_slug: 'gizmo', organization_slug: 'acme2' });
    });
  });

  it('answers 404 for any other path', async () => {
    expect((await fetch(`${issuer.url}/nope`)).status).toBe(404);
  });

  describe('when given an issuer URL other than its listen address', () => {
    it('names that URL in its discovery document and in the tokens it signs', async () => {
      const named = await startOidcIssuer({ clock, issuerUrl: 'http://oidc-issuer:9000' });
      try {
        const discovery = await fetch(`${named.url}/.well-known/openid-configuration`);
        const token = await fetch(`${named.url}/request-token`).then((response) => response.text());

        expect(named.issuer).toBe('http://oidc-issuer:9000');
        expect(await discovery.json()).toEqual({
          issuer: 'http://oidc-issuer:9000',
          jwks_uri: 'http://oidc-issuer:9000/.well-known/jwks.json',
        });
        expect(decodeJwt(token.trim()).iss).toBe('http://oidc-issuer:9000');
        expect(decodeJwt(await named.signToken()).iss).toBe('http://oidc-issuer:9000');
      } finally {
        await named.close();
      }
    });
  });

  it('uses its listen address as the issuer by default', () => {
    expect(issuer.issuer).toBe(issuer.url);
  });
});
