import type { AuditEntry } from '../audit/audit-entry.js';
import type { BuildkiteClaims } from '../oidc/buildkite-claims.js';
import type { ResolvedProfile } from '../profile/profile-resolver.js';
import type { ProfileToken } from './profile-token.js';

export type { ProfileToken, RepositoryScope } from './profile-token.js';

/** A resolved profile of one family. */
export type ResolvedOf<F extends ResolvedProfile['family']> = Extract<ResolvedProfile, { family: F }>;
export type ResolvedPipelineProfile = ResolvedOf<'pipeline'>;
export type ResolvedOrganizationProfile = ResolvedOf<'organization'>;

/** One request for a token, its profile already resolved (once) and its caller verified. */
export interface VendRequest<R extends ResolvedProfile = ResolvedProfile> {
  readonly claims: BuildkiteClaims;
  readonly resolved: R;
  /** The repository git asked about; `undefined` on `/token` routes. */
  readonly requestedRepositoryUrl: string | undefined;
  readonly audit: AuditEntry;
}

/** A token, or no credentials for the requested repository (not an error: git tries the next helper). */
export type VendResult = { readonly kind: 'issued'; readonly token: ProfileToken } | { readonly kind: 'unmatched' };

/** One link of a vending chain; see vending-chains.ts for the order. */
export type Vendor<R extends ResolvedProfile = ResolvedProfile> = (request: VendRequest<R>) => Promise<VendResult>;

/** The cache key of a request's token: the generation digest and the profile URN. */
export function cacheKeyOf(resolved: ResolvedProfile): string {
  return `${resolved.digest}:${resolved.urn}`;
}
