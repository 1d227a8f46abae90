import { InternalError } from '../errors.js';
import type { InstallationTokenMinter } from '../github/installation-tokens.js';
import { hashToken } from '../lib/hash.js';
import { repositoryForUrl } from '../pipeline/repository-url.js';
import type { OrganizationProfile } from '../profile/profile.js';
import type { RepositoryScope, VendRequest, VendResult } from './vendor.js';

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
export function organizationMintingVendor(options: OrganizationMintingVendorOptions) {
  return async (request: VendRequest, profile: OrganizationProfile, scopedRepository: string | undefined) => {
    const requested = request.requestedRepositoryUrl;
    const scope = scopeOf(profile, scopedRepository);
    if (requested !== undefined && 'names' in scope && profile.repositories.kind === 'list') {
      const name = repositoryForUrl(requested, options.gitHost)?.name;
      if (name === undefined || !scope.names.includes(name)) return { kind: 'unmatched' } satisfies VendResult;
    }
    const minted = await options.mint({
      repositories: 'names' in scope ? scope.names : undefined,
      permissions: profile.githubPermissions,
    });
    return {
      kind: 'issued',
      token: {
        organizationSlug: request.claims.organizationSlug,
        profile: request.resolved.shortName,
        repositoryUrl: requested ?? '',
        repositories: scope,
        permissions: profile.permissions,
        token: minted.token,
        hashedToken: hashToken(minted.token),
        expiry: minted.expiresAt,
      },
    } satisfies VendResult;
  };
}

/** Fails closed: a scope that names nothing must never reach GitHub, where empty means "all". */
function scopeOf(profile: OrganizationProfile, scopedRepository: string | undefined): RepositoryScope {
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
