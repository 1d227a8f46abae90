import type { AuditEntry } from '../audit/audit-entry.js';
import type { BuildkiteClaims } from '../oidc/buildkite-claims.js';
import type { ResolvedProfile } from '../profile/profile-resolver.js';

export type { ProfileToken, RepositoryScope } from './profile-token.js';
import type { ProfileToken } from './profile-token.js';

/** One request for a token, its profile already resolved (once) and its caller verified. */
export interface VendRequest {
  readonly claims: BuildkiteClaims;
  readonly resolved: ResolvedProfile;
  /** The repository git asked about; `undefined` on `/token` routes. */
  readonly requestedRepositoryUrl: string | undefined;
  readonly audit: AuditEntry;
}

/** A token, or no credentials for the requested repository (not an error: git tries the next helper). */
export type VendResult = { readonly kind: 'issued'; readonly token: ProfileToken } | { readonly kind: 'unmatched' };

/** One link of the vending chain; see compose-vendor.ts for the order. */
export type Vendor = (request: VendRequest) => Promise<VendResult>;

/** The cache key of a request's token: the generation digest and the profile URN. */
export function cacheKeyOf(resolved: ResolvedProfile): string {
  return `${resolved.digest}:${resolved.urn}`;
}

/** Epoch ms at which a token expires (NaN if GitHub's timestamp was unreadable). */
export function expiresAtMsOf(token: ProfileToken): number {
  return Date.parse(token.expiry);
}
