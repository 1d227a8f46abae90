import { MatchFailedError } from '../errors.js';
import type { ResolvedProfile } from '../profile/profile-resolver.js';
import type { Vendor } from './vendor.js';

/**
 * Evaluates the resolved profile's match rules against the caller's claims on every
 * request, before anything cached is looked at. Throws MatchFailedError (403) when a rule
 * fails; ClaimInvalidError (403) from the profile passes through.
 */
export function authorizedVendor<R extends ResolvedProfile>(inner: Vendor<R>): Vendor<R> {
  return async (request) => {
    const { profile } = request.resolved;
    const result = profile.match(request.claims);
    if (!result.matched) {
      request.audit.attemptedPatterns = [result.attempted];
      throw new MatchFailedError(profile.name);
    }
    request.audit.matches = result.matches;
    return inner(request);
  };
}
