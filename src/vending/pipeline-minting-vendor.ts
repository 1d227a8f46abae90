import { UpstreamRefusedError } from '../errors.js';
import type { InstallationTokenMinter } from '../github/installation-tokens.js';
import { hashToken } from '../lib/hash.js';
import type { PipelineRepositoryLookup } from '../pipeline/buildkite-pipelines.js';
import { repositoryForUrl, translateSshToHttps } from '../pipeline/repository-url.js';
import type { Vendor } from './vendor.js';

export interface PipelineMintingVendorOptions {
  readonly lookupRepository: PipelineRepositoryLookup;
  readonly mint: InstallationTokenMinter;
  /** `github.com`, or the GitHub Enterprise Server host. */
  readonly gitHost: string;
}

/**
 * The innermost link for pipeline profiles: asks Buildkite for the pipeline's repository
 * (SSH form read as HTTPS), answers "unmatched" when git asked about another repository,
 * and otherwise mints a token for that one repository with the profile's permissions.
 * A repository that is not on the git host is refused (403): the pipeline, not we, chose it.
 */
export function pipelineMintingVendor(options: PipelineMintingVendorOptions): Vendor {
  const { gitHost } = options;
  return async ({ claims, resolved, requestedRepositoryUrl }) => {
    const buildkiteUrl = await options.lookupRepository(claims.organizationSlug, claims.pipelineSlug);
    const repositoryUrl = translateSshToHttps(buildkiteUrl, gitHost);
    if (requestedRepositoryUrl !== undefined && requestedRepositoryUrl !== repositoryUrl) {
      return { kind: 'unmatched' };
    }
    const repository = repositoryForUrl(repositoryUrl, gitHost);
    if (repository === undefined) {
      throw new UpstreamRefusedError('buildkite', `pipeline repository is not a repository on ${gitHost}`);
    }
    const minted = await options.mint({
      repositories: [repository.name],
      permissions: resolved.profile.githubPermissions,
    });
    return {
      kind: 'issued',
      token: {
        organizationSlug: claims.organizationSlug,
        profile: resolved.shortName,
        repositoryUrl,
        repositories: { names: [repository.name] },
        permissions: resolved.profile.permissions,
        token: minted.token,
        hashedToken: hashToken(minted.token),
        expiry: minted.expiresAt,
      },
    };
  };
}
