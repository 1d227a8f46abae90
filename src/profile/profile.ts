import type { PermissionAction } from '../github/permissions.js';
import type { BuildkiteClaims } from '../oidc/buildkite-claims.js';

/** A claim a rule matched, as the audit record shows it. */
export interface ClaimMatch {
  readonly claim: string;
  readonly value: string;
}

/** The rule that failed, as the audit record shows it. */
export interface AttemptedPattern {
  readonly claim: string;
  readonly pattern: string;
  readonly value: string;
}

export type MatchResult =
  | { readonly matched: true; readonly matches: readonly ClaimMatch[] }
  | { readonly matched: false; readonly attempted: AttemptedPattern };

/**
 * Evaluates a profile's match rules (AND) against verified claims. Throws
 * ClaimInvalidError for a claim value it refuses to evaluate (too long, whitespace or
 * control characters); only the claims a rule uses are looked at.
 */
export type ClaimMatcher = (claims: BuildkiteClaims) => MatchResult;

/** What every compiled profile has: who may use it and what its tokens may do. */
interface CompiledProfile {
  readonly name: string;
  /** As configured, with `metadata:read` appended; the response and audit show these. */
  readonly permissions: readonly string[];
  /** The same, as GitHub's permissions object. */
  readonly githubPermissions: Readonly<Record<string, PermissionAction>>;
  readonly match: ClaimMatcher;
}

/** A pipeline profile: a token for the pipeline's own repository. */
export type PipelineProfile = CompiledProfile;

/** The repositories an organization profile's tokens cover. */
export type OrganizationRepositories =
  | { readonly kind: 'list'; readonly names: readonly string[] }
  /** `{{all-repositories}}` (or the deprecated `*`): every repository of the installation. */
  | { readonly kind: 'all' }
  /** `{{caller-scoped-repository}}`: the one repository the caller names. */
  | { readonly kind: 'caller-scoped' };

/** An organization profile: a token for repositories the profile file names. */
export interface OrganizationProfile extends CompiledProfile {
  readonly repositories: OrganizationRepositories;
  /** The account whose repositories these are; absent: the default installation's account. */
  readonly owner?: string;
}

/** One generation of profiles: what a single read of the profile store returns. */
export interface ProfileGeneration {
  /** Namespaces cache keys: tokens minted under another generation are never served. */
  readonly digest: string;
  readonly pipelineProfiles: ReadonlyMap<string, PipelineProfile>;
  readonly organizationProfiles: ReadonlyMap<string, OrganizationProfile>;
  /** Names that exist in the file but failed validation, with the reason (audit only). */
  readonly invalidPipelineProfiles: ReadonlyMap<string, string>;
  readonly invalidOrganizationProfiles: ReadonlyMap<string, string>;
}
