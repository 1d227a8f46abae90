import { ProfileNotFoundError } from '../errors.js';
import type { BuildkiteClaims } from '../oidc/buildkite-claims.js';
import type { PipelineProfile, ProfileGeneration } from './profile.js';
import type { ProfileReference } from './profile-reference.js';

/** A profile resolved once for a request, with the generation it came from. */
export interface ResolvedProfile {
  readonly family: 'pipeline';
  readonly profile: PipelineProfile;
  readonly digest: string;
  /** The canonical URN: cache key and audit `requestedProfile`. */
  readonly urn: string;
  /** The short reference the response's `profile` field carries, e.g. `repo:default`. */
  readonly shortName: string;
}

/** Resolves a reference against exactly one read of the profile store. */
export type ProfileResolver = (reference: ProfileReference, claims: BuildkiteClaims) => ResolvedProfile;

/**
 * The resolver over a store that hands out whole generations. One call reads the store
 * once, so authorization, caching and minting of a request all see the same generation.
 * Throws {@link ProfileNotFoundError} for an unknown name.
 */
export function createProfileResolver(currentGeneration: () => ProfileGeneration): ProfileResolver {
  return (reference, claims) => {
    const generation = currentGeneration();
    const profile =
      reference.family === 'pipeline' ? generation.pipelineProfiles.get(reference.name) : undefined;
    if (profile === undefined) throw new ProfileNotFoundError(reference.name);
    const { organizationSlug, pipelineId, pipelineSlug } = claims;
    return {
      family: 'pipeline',
      profile,
      digest: generation.digest,
      urn: `profile://organization/${organizationSlug}/pipeline/${pipelineId}/${pipelineSlug}/profile/${profile.name}`,
      shortName: `repo:${profile.name}`,
    };
  };
}
