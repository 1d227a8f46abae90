import type { Vendor } from './vendor.js';
import { expiresAtMsOf } from './vendor.js';

/**
 * Records what the chain decided on the request's audit entry: the resolved profile's name
 * (without a caller's repository scope), then the token's details or the failure.
 */
export function auditedVendor(inner: Vendor): Vendor {
  return async (request) => {
    const { audit, resolved } = request;
    audit.resolvedProfile = `${resolved.family === 'pipeline' ? 'repo' : 'org'}:${resolved.profile.name}`;
    try {
      const result = await inner(request);
      if (result.kind === 'unmatched') {
        audit.outcome = 'unmatched';
        return result;
      }
      const { token } = result;
      audit.outcome = 'issued';
      audit.token = {
        vendedRepository: token.repositoryUrl,
        hashedToken: token.hashedToken,
        repositories: 'names' in token.repositories ? token.repositories.names : ['{{all-repositories}}'],
        permissions: token.permissions,
        expiresAtMs: expiresAtMsOf(token),
      };
      return result;
    } catch (error) {
      audit.recordError(`vendor failure: ${error instanceof Error ? error.message : 'unknown error'}`);
      throw error;
    }
  };
}
