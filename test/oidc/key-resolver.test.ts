import { afterEach, describe, expect, it, vi } from 'vitest';
import { startOidcIssuer } from '../../src/dev/oidc-issuer.js';
import { createManualClock } from '../../src/lib/clock.js';
import { createStaticKeyResolver } from '../../src/oidc/key-resolver.js';
import { createTokenVerifier } from '../../src/oidc/token-verifier.js';
import { startMs, startOidcWorld, tokenInvalid, type OidcWorld } from './oidc-fixtures.js';

describe('discovery key resolver', () => {
  let world: OidcWorld;

  afterEach(async () => {
    await world.issuer.close();
  });

  describe('when the issuer rotates to a new key', () => {
    it('refetches the JWKS once for the unknown kid and verifies tokens of either key', async () => {
      world = await startOidcWorld();
      const oldToken = await world.issuer.signToken();
      await world.verify(oldToken);
      expect(await world.issuer.rotateKey()).toBe('dev-key-2');
      await expect(world.verify(await world.issuer.signToken({ job_id: 'job-2' }))).resolves.toMatchObject({ jobId: 'job-2' });
      expect(world.issuer.jwksRequests).toBe(2);
    });
  });

  describe('when tokens name kids the issuer does not have', () => {
    it('refetches at most once per cooldown, however many arrive', async () => {
      world = await startOidcWorld({ unknownKeyCooldownMs: 60_000 });
      await world.verify(await world.issuer.signToken());
      const forged = await Promise.all(
        Array.from({ length: 20 }, (_, i) => world.issuer.signToken({ job_id: `j${i}` }, { header: { kid: `forged-${i}` } })),
      );
      const results = await Promise.allSettled(forged.map((token) => world.verify(token)));
      expect(results.every((result) => result.status === 'rejected')).toBe(true);
      await expect(world.verify(await world.issuer.signToken({ job_id: 'late' }, { header: { kid: 'forged-late' } }))).rejects.toMatchObject(
        tokenInvalid,
      );
      expect(world.issuer.jwksRequests).toBe(2);

      world.clock.advanceMs(60_000);
      await expect(world.verify(await world.issuer.signToken({ job_id: 'x' }, { header: { kid: 'forged-x' } }))).rejects.toMatchObject(
        tokenInvalid,
      );
      expect(world.issuer.jwksRequests).toBe(3);
    });
  });

  describe('when the issuer becomes unavailable after the keys were loaded', () => {
    it('keeps verifying with the last good keys once they are due for refresh', async () => {
      world = await startOidcWorld({ refreshIntervalMs: 60_000 });
      await world.verify(await world.issuer.signToken());
      world.issuer.setUnavailable(true);
      world.clock.advanceMs(61_000);
      await expect(world.verify(await world.issuer.signToken({ job_id: 'later' }))).resolves.toMatchObject({ jobId: 'later' });
      // The refresh runs in the background: the request above did not wait for it.
      await vi.waitFor(() => expect(world.issuer.jwksRequests).toBe(2));
    });

    it('does not refetch for every request while the issuer stays down', async () => {
      world = await startOidcWorld({ refreshIntervalMs: 60_000 });
      await world.verify(await world.issuer.signToken());
      world.issuer.setUnavailable(true);
      world.clock.advanceMs(61_000);
      for (let i = 0; i < 10; i += 1) {
        await expect(world.verify(await world.issuer.signToken({ job_id: `j${i}` }))).resolves.toBeDefined();
      }
      expect(world.issuer.jwksRequests).toBeLessThanOrEqual(2);
    });

    it('keeps the last good keys when an unknown kid forces a refetch that fails', async () => {
      world = await startOidcWorld();
      await world.verify(await world.issuer.signToken());
      world.issuer.setUnavailable(true);
      const forged = await world.issuer.signToken({ job_id: 'f' }, { header: { kid: 'forged' } });
      await expect(world.verify(forged)).rejects.toMatchObject(tokenInvalid);
      await expect(world.verify(await world.issuer.signToken({ job_id: 'ok' }))).resolves.toMatchObject({ jobId: 'ok' });
    });
  });

  describe('when the issuer is unavailable at first use', () => {
    it('refuses the token as invalid, and recovers when the issuer does', async () => {
      world = await startOidcWorld();
      world.issuer.setUnavailable(true);
      const token = await world.issuer.signToken();
      await expect(world.verify(token)).rejects.toMatchObject(tokenInvalid);
      world.issuer.setUnavailable(false);
      // Without keys, a failed fetch is retried only after a short pause.
      world.clock.advanceMs(5_000);
      await expect(world.verify(token)).resolves.toMatchObject({ pipelineSlug: 'widget' });
    });
  });

  describe('when the discovery document names another issuer', () => {
    it('refuses every token rather than trust its keys', async () => {
      world = await startOidcWorld({ expectedIssuer: (issuer) => `${issuer.url}/` });
      const token = await world.issuer.signToken({ iss: `${world.issuer.url}/` });
      await expect(world.verify(token)).rejects.toMatchObject(tokenInvalid);
      expect(world.issuer.jwksRequests).toBe(0);
    });
  });
});

describe('static key resolver', () => {
  it('verifies tokens of the key set it was given, and only those', async () => {
    const clock = createManualClock(startMs);
    const issuer = await startOidcIssuer({ clock });
    const other = await startOidcIssuer({ clock });
    try {
      const verify = createTokenVerifier({
        issuer: issuer.url,
        audience: 'app-token-issuer',
        organizationSlug: 'acme',
        keys: createStaticKeyResolver(issuer.jwks),
        clock,
      });
      await expect(verify(await issuer.signToken())).resolves.toMatchObject({ issuer: issuer.url });
      await expect(verify(await other.signToken({ iss: issuer.url }))).rejects.toMatchObject(tokenInvalid);
      expect(issuer.jwksRequests).toBe(0);
    } finally {
      await issuer.close();
      await other.close();
    }
  });
});
