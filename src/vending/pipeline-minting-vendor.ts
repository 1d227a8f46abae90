import { OwnerNotServedError, UpstreamRefusedError } from '../errors.js';
import type { InstallationDirectory } from '../github/installation-directory.js';
import type { InstallationTokenMinters } from '../github/installation-tokens.js';
import type { RetryBudgets } from '../lib/retry-budget.js';
import type { PipelineRepositoryLookup } from '../pipeline/buildkite-pipelines.js';
import { repositoryForUrl, translateSshToHttps } from '../pipeline/repository-url.js';
import { profileTokenOf } from './profile-token.js';
import { covers } from './token-rules.js';
import type { ResolvedPipelineProfile, Vendor } from './vendor.js';

export interface PipelineMintingVendorOptions {
  readonly lookupRepository: PipelineRepositoryLookup;
  /** Picks the installation of the repository's owner. */
  readonly installationFor: InstallationDirectory['installationFor'];
  readonly mint: InstallationTokenMinters;
  /** Starts the request's one retry budget, shared by the lookup, discovery and the mint. */
  readonly retryBudget: RetryBudgets;
  /** `github.com`, or the GitHub Enterprise Server host. */
  readonly gitHost: string;
}

/**
 * The innermost link for pipeline profiles: asks Buildkite for the pipeline's repository
 * (SSH form read as HTTPS), answers "unmatched" when git asked about another repository,
 * and otherwise mints a token for that one repository with the profile's permissions, on
 * the installation of the repository's owner. A repository that is not on the git host
 * (UpstreamRefusedError), or whose owner is not served (OwnerNotServedError), is refused
 * (403) before GitHub is asked: the pipeline, not we, chose it. The retry budget starts
 * here, on a cache miss, so a cache hit never pays for one.
 */
export function pipelineMintingVendor(options: PipelineMintingVendorOptions): Vendor<ResolvedPipelineProfile> {
  const { gitHost } = options;
  return async ({ claims, resolved, requestedRepositoryUrl }) => {
    const budget = options.retryBudget();
    const buildkiteUrl = await options.lookupRepository(claims.organizationSlug, claims.pipelineSlug, budget);
    const repositoryUrl = translateSshToHttps(buildkiteUrl, gitHost);
    const repository = repositoryForUrl(repositoryUrl, gitHost);
    const repositories = { names: [repository?.name ?? ''] };
    if (requestedRepositoryUrl !== undefined && !covers({ repositoryUrl, repositories }, resolved, requestedRepositoryUrl, gitHost)) {
      return { kind: 'unmatched' };
    }
    if (repository === undefined) {
      throw new UpstreamRefusedError('buildkite', `pipeline repository is not a repository on ${gitHost}`);
    }
    const found = await options.installationFor(repository.owner, budget);
    if (!found.served) throw new OwnerNotServedError(repository.owner, found.reason);
    const request = { repositories: repositories.names, permissions: resolved.profile.githubPermissions };
    const minted = await options.mint(found.installation.id)(request, budget);
    const { permissions } = resolved.profile;
    return {
      kind: 'issued',
      token: profileTokenOf({ organizationSlug: claims.organizationSlug, profile: resolved.shortName, repositoryUrl, repositories, permissions, minted }),
    };
  };
}
