import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startOidcWorld, tokenInvalid, type OidcWorld } from './oidc-fixtures.js';

describe('token verifier cache of verified tokens', () => {
  let world: OidcWorld;

  beforeEach(async () => {
    world = await startOidcWorld();
  });
  afterEach(async () => {
    await world.issuer.close();
  });

  describe('when the same token is verified again', () => {
    it('answers the same claims without looking up a key or fetching the JWKS', async () => {
      const token = await world.issuer.signToken();
      const first = await world.verify(token);
      world.clock.advanceMs(60_000);
      await expect(world.verify(token)).resolves.toEqual(first);
      expect(world.keyLookups()).toBe(1);
      expect(world.issuer.jwksRequests).toBe(1);
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
      await expect(world.verify(token)).resolves.toMatchObject({ pipelineSlug: 'widget' });
    });
  });
});
