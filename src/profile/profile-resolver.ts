import {
  InternalError,
  NotReadyError,
  ProfileNotFoundError,
  ProfileUnavailableError,
  ScopeNotAcceptedError,
  ScopeRequiredError,
} from '../errors.js';
import { notServedReason } from '../github/account-login.js';
import type { BuildkiteClaims } from '../oidc/buildkite-claims.js';
import type { OrganizationProfile, PipelineProfile, ProfileGeneration } from './profile.js';
import type { ProfileReference } from './profile-reference.js';

interface ResolvedCommon {
  readonly digest: string;
  /** The canonical URN: cache key and audit `requestedProfile`. */
  readonly urn: string;
  /** The short reference the response's `profile` field carries, e.g. `repo:default`. */
  readonly shortName: string;
}

/** A profile resolved once for a request, with the generation it came from. */
export type ResolvedProfile =
  | (ResolvedCommon & { readonly family: 'pipeline'; readonly profile: PipelineProfile })
  | (ResolvedCommon & {
      readonly family: 'organization';
      readonly profile: OrganizationProfile;
      /** The repository a caller-scoped profile was narrowed to; `undefined` for the others. */
      readonly scopedRepository: string | undefined;
      /** The account the profile's repositories belong to: its `owner`, else the default installation's. */
      readonly owner: string;
    });

/** The repository a caller named: explicitly (`?repository-scope=`) or by the URL git asked about. */
export interface RequestedScope {
  readonly explicit?: string | undefined;
  readonly implicit?: string | undefined;
}

/** Which repository owners the bridge serves, as far as resolving a profile needs to know. */
export interface ServedOwners {
  /** The default installation's account; `undefined` until it is known. */
  defaultAccount(): string | undefined;
  /** Whether `owner` is an account the bridge serves. */
  serves(owner: string): boolean;
}

/** Resolves a reference against exactly one read of the profile store. */
export type ProfileResolver = (
  reference: ProfileReference,
  claims: BuildkiteClaims,
  scope?: RequestedScope,
) => ResolvedProfile;

/**
 * The resolver over a store that hands out whole generations. One call reads the store
 * once, so authorization, caching and minting of a request all see the same generation.
 * Throws ProfileNotFoundError / ProfileUnavailableError (404), ScopeRequiredError /
 * ScopeNotAcceptedError (400), and InternalError when no generation has loaded (the
 * readiness gate keeps requests out until one has). An organization profile whose owner
 * is not served is unavailable (ProfileUnavailableError, 404).
 */
export function createProfileResolver(currentGeneration: () => ProfileGeneration | undefined, owners: ServedOwners): ProfileResolver {
  return (reference, claims, scope = {}) => {
    const generation = currentGeneration();
    if (generation === undefined) throw new InternalError('no profile generation loaded');
    const { organizationSlug } = claims;
    if (reference.family === 'pipeline') {
      const profile = lookUp(generation.pipelineProfiles, generation.invalidPipelineProfiles, reference.name);
      const { pipelineId, pipelineSlug } = claims;
      return {
        family: 'pipeline',
        profile,
        digest: generation.digest,
        urn: `profile://organization/${organizationSlug}/pipeline/${pipelineId}/${pipelineSlug}/profile/${profile.name}`,
        shortName: `repo:${profile.name}`,
      };
    }
    const profile = lookUp(generation.organizationProfiles, generation.invalidOrganizationProfiles, reference.name);
    const owner = ownerOf(profile, owners);
    const scopedRepository = scopeFor(profile, scope);
    const base = `profile://organization/${organizationSlug}/profile/${profile.name}`;
    return {
      family: 'organization',
      profile,
      digest: generation.digest,
      scopedRepository,
      owner,
      urn: scopedRepository === undefined ? base : `${base}/repository/${scopedRepository}`,
      shortName: scopedRepository === undefined ? `org:${profile.name}` : `org:${profile.name}/${scopedRepository}`,
    };
  };
}

function lookUp<P>(valid: ReadonlyMap<string, P>, invalid: ReadonlyMap<string, string>, name: string): P {
  const profile = valid.get(name);
  if (profile !== undefined) return profile;
  const reason = invalid.get(name);
  if (reason !== undefined) throw new ProfileUnavailableError(name, reason);
  throw new ProfileNotFoundError(name);
}

function ownerOf(profile: OrganizationProfile, owners: ServedOwners): string {
  if (profile.owner === undefined) {
    const account = owners.defaultAccount();
    if (account === undefined) throw new NotReadyError('starting: the default installation account is not known yet');
    return account;
  }
  if (!owners.serves(profile.owner)) {
    throw new ProfileUnavailableError(profile.name, notServedReason(profile.owner));
  }
  return profile.owner;
}

/**
 * Scope rules: a caller-scoped profile takes the explicit scope, else the implicit one, and
 * needs one; a fixed profile refuses an explicit scope and ignores the implicit one.
 */
function scopeFor(profile: OrganizationProfile, scope: RequestedScope): string | undefined {
  if (profile.repositories.kind !== 'caller-scoped') {
    if (scope.explicit !== undefined) throw new ScopeNotAcceptedError(profile.name);
    return undefined;
  }
  const repository = scope.explicit ?? scope.implicit;
  if (repository === undefined) throw new ScopeRequiredError(profile.name);
  return repository;
}
