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
 * A compiled pipeline profile: the permissions a pipeline's token for its own repository
 * carries, and who may have it. `match` throws ClaimInvalidError for a claim it refuses
 * to evaluate.
 */
export interface PipelineProfile {
  readonly name: string;
  /** As configured, with `metadata:read` appended; the response and audit show these. */
  readonly permissions: readonly string[];
  /** The same, as GitHub's permissions object. */
  readonly githubPermissions: Readonly<Record<string, PermissionAction>>;
  readonly match: (claims: BuildkiteClaims) => MatchResult;
}

/** One generation of profiles: what a single read of the profile store returns. */
export interface ProfileGeneration {
  /** Namespaces cache keys: tokens minted under another generation are never served. */
  readonly digest: string;
  readonly pipelineProfiles: ReadonlyMap<string, PipelineProfile>;
}
