import { toBridgeError } from '../errors.js';
import type { ResolvedProfile } from '../profile/profile-resolver.js';
import { expiresAtMsOf } from './token-rules.js';
import type { ProfileToken, VendRequest, Vendor } from './vendor.js';

/** The login of the account whose installation an issued token comes from. */
export type InstallationAccountOf = (token: ProfileToken, request: VendRequest) => string | undefined;

/**
 * Records what the chain decided on the request's audit entry: the resolved profile's name
 * (without a caller's repository scope), then the token's details (with the installation's
 * account, from `accountOf`), "unmatched", or the failure with the outcome the error table
 * gives it.
 */
export function auditedVendor<R extends ResolvedProfile>(inner: Vendor<R>, accountOf: InstallationAccountOf): Vendor<R> {
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
      // One literal of one shape, not a conditional spread: this runs on every cached request.
      audit.recordIssued({
        vendedRepository: token.repositoryUrl,
        installationAccount: accountOf(token, request),
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
