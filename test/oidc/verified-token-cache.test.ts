import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startOidcIssuer, type OidcIssuer } from '../../src/dev/oidc-issuer.js';
import { createManualClock } from '../../src/lib/clock.js';
import { createOidcWorld, startMs, tokenInvalid, type OidcWorld } from './oidc-fixtures.js';

describe('token verifier cache of verified tokens', () => {
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
    issuer.setUnavailable(false);
    world = createOidcWorld(issuer, clock);
  });

  describe('when the same token is verified again', () => {
    it('answers the same claims without looking up a key or fetching the JWKS', async () => {
      const jwksRequestsBefore = issuer.jwksRequests;
      const token = await world.issuer.signToken();
      const first = await world.verify(token);
      world.clock.advanceMs(60_000);
      await expect(world.verify(token)).resolves.toEqual(first);
      expect(world.keyLookups()).toBe(1);
      expect(issuer.jwksRequests - jwksRequestsBefore).toBe(1);
    });
  });

  describe('when the token has passed its exp', () => {
    it('verifies it again instead of serving it from the cache', async () => {
      const token = await world.issuer.signToken({}, { lifetimeSecs: 60 });
      await world.verify(token);
      world.clock.advanceMs(61_000);
      await world.verify(token); // within the 5 s tolerance: re-verified, still valid
      expect(world.keyLookups()).toBe(2);
    });

    it('refuses it once it is beyond the tolerance, though it verified before', async () => {
      const token = await world.issuer.signToken({}, { lifetimeSecs: 60 });
      await world.verify(token);
      world.clock.advanceMs(70_000);
      await expect(world.verify(token)).rejects.toMatchObject(tokenInvalid);
    });
  });

  describe('when a token failed', () => {
    it('does not remember the failure', async () => {
      world.issuer.setUnavailable(true);
      const token = await world.issuer.signToken();
      await expect(world.verify(token)).rejects.toMatchObject(tokenInvalid);
      world.issuer.setUnavailable(false);
      // Without keys, a failed fetch is retried only after a short pause.
      world.clock.advanceMs(5_000);
      await expect(world.verify(token)).resolves.toMatchObject({ pipelineSlug: 'widget' });
    });
  });
});
