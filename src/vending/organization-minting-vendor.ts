import { InternalError, ProfileUnavailableError } from '../errors.js';
import type { InstallationDirectory } from '../github/installation-directory.js';
import type { InstallationTokenMinters } from '../github/installation-tokens.js';
import type { RetryBudgets } from '../lib/retry-budget.js';
import { profileTokenOf } from './profile-token.js';
import { covers } from './token-rules.js';
import type { RepositoryScope, ResolvedOrganizationProfile, Vendor } from './vendor.js';

export interface OrganizationMintingVendorOptions {
  /** Picks the installation of the profile's owner. */
  readonly installationFor: InstallationDirectory['installationFor'];
  readonly mint: InstallationTokenMinters;
  /** Starts the request's one retry budget, shared by discovery and the mint. */
  readonly retryBudget: RetryBudgets;
  readonly gitHost: string;
}

/**
 * The innermost link for organization profiles: the profile, not Buildkite, names the
 * repositories, all of its owner's. A requested repository of another owner is never
 * covered ("unmatched"); of the owner, a fixed list covers it by name, all-repositories and
 * caller-scoped profiles cover it. The mint goes to the owner's installation; an owner on
 * which the App has no installation makes the profile unavailable (404). All-repositories
 * sends no `repositories` to GitHub: the token reaches everything the installation reaches.
 */
export function organizationMintingVendor(options: OrganizationMintingVendorOptions): Vendor<ResolvedOrganizationProfile> {
  return async ({ claims, resolved, requestedRepositoryUrl }) => {
    const { profile } = resolved;
    const repositories = scopeOf(resolved);
    const repositoryUrl = requestedRepositoryUrl ?? '';
    if (requestedRepositoryUrl !== undefined && !covers({ repositoryUrl, repositories }, resolved, requestedRepositoryUrl, options.gitHost)) {
      return { kind: 'unmatched' };
    }
    // Started on a cache miss only: a cache hit never pays for a budget.
    const budget = options.retryBudget();
    const found = await options.installationFor(resolved.owner, budget);
    if (!found.served) throw new ProfileUnavailableError(profile.name, found.reason);
    const minted = await options.mint(found.installation.id)(
      { repositories: 'names' in repositories ? repositories.names : undefined, permissions: profile.githubPermissions },
      budget,
    );
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
