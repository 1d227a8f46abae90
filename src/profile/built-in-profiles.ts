import { InternalError } from '../errors.js';
import { toGitHubPermissions, withMetadataRead } from '../github/permissions.js';
import type { PipelineProfile, ProfileGeneration } from './profile.js';

/** The digest of the built-in generation, as Chinmina names it. */
export const builtInDigest = 'default-profile:v1';

/** Builds a pipeline profile without match rules (everyone matches). */
export function unrestrictedPipelineProfile(name: string, permissions: readonly string[]): PipelineProfile {
  const withMetadata = withMetadataRead(permissions);
  const github = toGitHubPermissions(withMetadata);
  if (!github.ok) throw new InternalError(`built-in profile "${name}" is invalid: ${github.problems.join('; ')}`);
  return {
    name,
    permissions: withMetadata,
    githubPermissions: github.permissions,
    match: () => ({ matched: true, matches: [] }),
  };
}

/** The generation served without a profile file: the pipeline `default` profile, `contents:read`. */
export function builtInGeneration(): ProfileGeneration {
  return {
    digest: builtInDigest,
    pipelineProfiles: new Map([['default', unrestrictedPipelineProfile('default', ['contents:read'])]]),
    organizationProfiles: new Map(),
    invalidPipelineProfiles: new Map(),
    invalidOrganizationProfiles: new Map(),
  };
}
