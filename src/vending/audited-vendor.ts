import { toBridgeError } from '../errors.js';
import type { ResolvedProfile } from '../profile/profile-resolver.js';
import { expiresAtMsOf } from './token-rules.js';
import type { Vendor } from './vendor.js';

/**
 * Records what the chain decided on the request's audit entry: the resolved profile's name
 * (without a caller's repository scope), then the token's details, "unmatched", or the
 * failure with the outcome the error table gives it.
 */
export function auditedVendor<R extends ResolvedProfile>(inner: Vendor<R>): Vendor<R> {
  return async (request) => {
    const { audit, resolved } = request;
    audit.resolvedProfile = `${resolved.family === 'pipeline' ? 'repo' : 'org'}:${resolved.profile.name}`;
    try {
      const result = await inner(request);
      if (result.kind === 'unmatched') {
        audit.recordUnmatched();
        return result;
      }
      const { token } = result;
      audit.recordIssued({
        vendedRepository: token.repositoryUrl,
        hashedToken: token.hashedToken,
        repositories: 'names' in token.repositories ? token.repositories.names : ['{{all-repositories}}'],
        permissions: token.permissions,
        expiresAtMs: expiresAtMsOf(token),
      });
      return result;
    } catch (error) {
      const failure = toBridgeError(error);
      audit.recordFailure(failure, `vendor failure: ${error instanceof Error ? error.message : 'unknown error'}`);
      throw error;
    }
  };
}
