import { describe, expect, it } from 'vitest';
import { ClaimInvalidError } from '../../src/errors.js';
import { createManualClock } from '../../src/lib/clock.js';
import { authorizedVendor } from '../../src/vending/authorized-vendor.js';
import type { ProfileToken } from '../../src/vending/vendor.js';
import {
  cachedOver,
  countingVendor,
  foreverCache,
  minute,
  profileToken,
  resolvedProfile,
  startMs,
  unmatched,
  vendRequest,
} from './vend-fixtures.js';

function chain() {
  const clock = createManualClock(startMs);
  const { cache, counts } = foreverCache<ProfileToken>();
  const inner = countingVendor(async () => ({ kind: 'issued', token: profileToken(startMs + 60 * minute) }));
  const cached = cachedOver(cache, { clock, minTokenLifetimeMs: 0 }, inner.vendor);
  const authorized = authorizedVendor(cached);
  return { authorized, vendor: authorized, inner, counts };
}

describe('authorized vendor', () => {
  describe('when the profile’s rules do not match the caller', () => {
    it('refuses with match_failed and records the attempted pattern, before the cache or minting', async () => {
      const { vendor, inner, counts } = chain();
      const request = vendRequest({ resolved: resolvedProfile({ name: 'deploy', match: unmatched('deploy-.*') }) });
      await expect(vendor(request)).rejects.toMatchObject({ code: 'match_failed', profileName: 'deploy' });
      expect(request.audit.attemptedPatterns).toEqual([{ claim: 'pipeline_slug', pattern: 'deploy-.*', value: 'widget' }]);
      expect(request.audit.matches).toBeUndefined();
      expect(counts).toEqual({ get: 0, set: 0 });
      expect(inner.calls).toHaveLength(0);
    });

    it('refuses even when a token for the same key is already cached', async () => {
      const { vendor, inner } = chain();
      await vendor(vendRequest());
      const request = vendRequest({ resolved: resolvedProfile({ match: unmatched() }) });
      await expect(vendor(request)).rejects.toMatchObject({ code: 'match_failed' });
      expect(inner.calls).toHaveLength(1);
    });
  });

  describe('when the profile’s rules match', () => {
    it('records the matches and passes the request on', async () => {
      const { vendor, inner } = chain();
      const matches = [{ claim: 'build_branch', value: 'main' }];
      const request = vendRequest({ resolved: resolvedProfile({ match: () => ({ matched: true, matches }) }) });
      await expect(vendor(request)).resolves.toMatchObject({ kind: 'issued' });
      expect(request.audit.matches).toEqual(matches);
      expect(inner.calls).toEqual([request]);
    });
  });

  describe('when the profile refuses to evaluate a claim', () => {
    it('lets claim_invalid through without touching the inner chain', async () => {
      const { vendor, inner } = chain();
      const match = () => {
        throw new ClaimInvalidError('build_branch', 'contains a control character');
      };
      await expect(vendor(vendRequest({ resolved: resolvedProfile({ match }) }))).rejects.toMatchObject({
        code: 'claim_invalid',
        claim: 'build_branch',
      });
      expect(inner.calls).toHaveLength(0);
    });
  });

  it('reports a refusal as a rejected promise, as every Vendor does', async () => {
    const { authorized } = chain();
    const request = vendRequest({ resolved: resolvedProfile({ match: unmatched() }) });
    let outcome: unknown;
    try {
      outcome = authorized(request);
    } catch {
      outcome = 'thrown synchronously';
    }
    expect(outcome).toBeInstanceOf(Promise);
    await expect(outcome).rejects.toMatchObject({ code: 'match_failed' });
  });
});
