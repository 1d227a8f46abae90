import { SignJWT, decodeJwt, generateKeyPair } from 'jose';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startOidcIssuer, type OidcIssuer } from '../../src/dev/oidc-issuer.js';
import { createManualClock } from '../../src/lib/clock.js';
import type { ClaimOverrides } from '../../src/dev/issued-claims.js';
import { createOidcWorld, defaultClaims, startMs, startSecs, tokenInvalid, type OidcWorld } from './oidc-fixtures.js';

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

describe('token verifier', () => {
  // One issuer for the file (RSA key generation is slow); a fresh verifier and time per test.
  const clock = createManualClock(startMs);
  let issuer: OidcIssuer;
  let world: OidcWorld;

  beforeAll(async () => {
    issuer = await startOidcIssuer({ clock });
  });
  afterAll(async () => {
    await issuer.close();
  });
  beforeEach(() => {
    clock.setMs(startMs);
    world = createOidcWorld(issuer, clock);
  });

  describe('when the token is a valid Buildkite job token', () => {
    it('answers its claims in our names', async () => {
      const token = await world.issuer.signToken();
      await expect(world.verify(token)).resolves.toEqual(defaultClaims(world.issuer.url, startSecs));
    });

    it('collects agent tags and optional claims', async () => {
      const token = await world.issuer.signToken({
        'agent_tag:queue': 'linux',
        'agent_tag:size': 3,
        build_tag: 'v1.2.3',
        cluster_name: 'default',
        step_key: undefined,
        build_number: undefined,
      });
      await expect(world.verify(token)).resolves.toEqual({
        ...defaultClaims(world.issuer.url, startSecs),
        agentTags: { queue: 'linux' },
        buildTag: 'v1.2.3',
        clusterName: 'default',
        stepKey: '',
        subject: 'organization:acme:pipeline:widget:ref:refs/heads/main:commit:abc123:step:',
        buildNumber: 0,
      });
    });

    it('accepts an expired token within the 5 s clock tolerance', async () => {
      const token = await world.issuer.signToken();
      world.clock.advanceMs(304_000);
      await expect(world.verify(token)).resolves.toMatchObject({ expiresAtSecs: startSecs + 300 });
    });
  });

  describe('when the token must be refused', () => {
    it('refuses a token expired beyond the tolerance', async () => {
      const token = await world.issuer.signToken();
      world.clock.advanceMs(306_000);
      await expect(world.verify(token)).rejects.toMatchObject(tokenInvalid);
    });

    it('refuses a token whose nbf is in the future', async () => {
      const token = await world.issuer.signToken({ nbf: startSecs + 60 });
      await expect(world.verify(token)).rejects.toMatchObject(tokenInvalid);
    });

    it('refuses another audience', async () => {
      const token = await world.issuer.signToken({}, { audience: 'someone-else' });
      await expect(world.verify(token)).rejects.toMatchObject(tokenInvalid);
    });

    it('refuses another issuer, even when signed with the right key', async () => {
      const token = await world.issuer.signToken({ iss: 'https://agent.buildkite.com' });
      await expect(world.verify(token)).rejects.toMatchObject(tokenInvalid);
    });

    it('refuses a token of another organization', async () => {
      const token = await world.issuer.signToken({ organization_slug: 'evil-corp' });
      await expect(world.verify(token)).rejects.toMatchObject(tokenInvalid);
    });

    it('refuses an unsigned token (alg none)', async () => {
      const claims = decodeJwt(await world.issuer.signToken());
      const token = `${b64({ alg: 'none', typ: 'JWT' })}.${b64(claims)}.`;
      await expect(world.verify(token)).rejects.toMatchObject(tokenInvalid);
    });

    it('refuses an HS256 token, whatever secret signed it', async () => {
      const claims = decodeJwt(await world.issuer.signToken());
      const token = await new SignJWT(claims)
        .setProtectedHeader({ alg: 'HS256', kid: 'dev-key-1' })
        .sign(new TextEncoder().encode('a-shared-secret-of-at-least-32-bytes!!'));
      await expect(world.verify(token)).rejects.toMatchObject(tokenInvalid);
    });

    it('refuses a token signed by a foreign key that claims the issuer kid', async () => {
      const claims = decodeJwt(await world.issuer.signToken());
      const { privateKey } = await generateKeyPair('RS256');
      const token = await new SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid: 'dev-key-1' }).sign(privateKey);
      await expect(world.verify(token)).rejects.toMatchObject(tokenInvalid);
    });

    it('refuses a token whose payload was altered after signing', async () => {
      const [header, payload, signature] = (await world.issuer.signToken()).split('.');
      const altered = { ...decodeJwt(`${header}.${payload}.${signature}`), pipeline_slug: 'deploy-prod' };
      await expect(world.verify(`${header}.${b64(altered)}.${signature}`)).rejects.toMatchObject(tokenInvalid);
    });

    it.each(['pipeline_id', 'job_id', 'sub', 'exp', 'nbf', 'organization_slug', 'agent_id'])(
      'refuses a token without %s',
      async (claim) => {
        const token = await world.issuer.signToken({ [claim]: undefined });
        await expect(world.verify(token)).rejects.toMatchObject(tokenInvalid);
      },
    );

    it('refuses a build_number that is a string', async () => {
      // The stand-in types its claims; a wrong type is exactly what this test needs.
      const token = await world.issuer.signToken({ build_number: '42' } as unknown as ClaimOverrides);
      await expect(world.verify(token)).rejects.toMatchObject(tokenInvalid);
    });

    it('refuses text that is not a JWT', async () => {
      await expect(world.verify('not.a.jwt')).rejects.toMatchObject(tokenInvalid);
    });
  });
});
