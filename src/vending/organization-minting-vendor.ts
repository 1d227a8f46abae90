import { InternalError } from '../errors.js';
import type { InstallationTokenMinter } from '../github/installation-tokens.js';
import { profileTokenOf } from './profile-token.js';
import { covers } from './token-rules.js';
import type { RepositoryScope, ResolvedOrganizationProfile, Vendor } from './vendor.js';

export interface OrganizationMintingVendorOptions {
  readonly mint: InstallationTokenMinter;
  readonly gitHost: string;
}

/**
 * The innermost link for organization profiles: the profile, not Buildkite, names the
 * repositories. A fixed list covers a requested repository by name (else "unmatched");
 * all-repositories and caller-scoped profiles cover what was asked. All-repositories sends
 * no `repositories` to GitHub: the token reaches everything the installation reaches.
 */
export function organizationMintingVendor(options: OrganizationMintingVendorOptions): Vendor<ResolvedOrganizationProfile> {
  return async ({ claims, resolved, requestedRepositoryUrl }) => {
    const { profile } = resolved;
    const repositories = scopeOf(resolved);
    const repositoryUrl = requestedRepositoryUrl ?? '';
    if (requestedRepositoryUrl !== undefined && !covers({ repositoryUrl, repositories }, 'organization', requestedRepositoryUrl, options.gitHost)) {
      return { kind: 'unmatched' };
    }
    const minted = await options.mint({
      repositories: 'names' in repositories ? repositories.names : undefined,
      permissions: profile.githubPermissions,
    });
    const { permissions } = profile;
    return {
      kind: 'issued',
      token: profileTokenOf({ organizationSlug: claims.organizationSlug, profile: resolved.shortName, repositoryUrl, repositories, permissions, minted }),
    };
  };
}

/** Fails closed: a scope that names nothing must never reach GitHub, where empty means "all". */
function scopeOf({ profile, scopedRepository }: ResolvedOrganizationProfile): RepositoryScope {
  switch (profile.repositories.kind) {
    case 'all':
      return { wildcard: true };
    case 'list':
      if (profile.repositories.names.length === 0) throw new InternalError(`profile ${profile.name} names no repository`);
      return { names: profile.repositories.names };
    case 'caller-scoped':
      if (scopedRepository === undefined) throw new InternalError(`profile ${profile.name} reached minting unscoped`);
      return { names: [scopedRepository] };
  }
}
