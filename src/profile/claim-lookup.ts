import { ClaimInvalidError } from '../errors.js';
import type { BuildkiteClaims } from '../oidc/buildkite-claims.js';
import { hasWhitespaceOrControl } from '../lib/has-whitespace-or-control.js';

/** The longest claim value, in UTF-8 bytes, a match rule evaluates. */
export const maxClaimValueBytes = 256;

const agentTagPrefix = 'agent_tag:';

/**
 * How each fixed matchable claim is read. Required claims answer their value even when
 * empty; optional ones (empty means "not sent") answer `undefined` when empty.
 */
const fixedClaims: ReadonlyMap<string, (claims: BuildkiteClaims) => string | undefined> = new Map([
  ['pipeline_slug', (claims) => claims.pipelineSlug],
  ['pipeline_id', (claims) => claims.pipelineId],
  ['build_number', (claims) => String(claims.buildNumber)],
  ['build_branch', (claims) => claims.buildBranch],
  ['build_commit', (claims) => claims.buildCommit],
  ['build_tag', (claims) => nonEmpty(claims.buildTag)],
  ['cluster_id', (claims) => nonEmpty(claims.clusterId)],
  ['cluster_name', (claims) => nonEmpty(claims.clusterName)],
  ['queue_id', (claims) => nonEmpty(claims.queueId)],
  ['queue_key', (claims) => nonEmpty(claims.queueKey)],
]);

/**
 * Whether a match rule may name `claim`: one of the fixed matchable claims, or
 * `agent_tag:NAME` with a non-empty NAME and no whitespace or control character anywhere.
 * Identity and job claims (`organization_slug`, `step_key`, `job_id`, `agent_id`) are not.
 */
export function isMatchableClaim(claim: string): boolean {
  if (fixedClaims.has(claim)) return true;
  return claim.startsWith(agentTagPrefix) && claim.length > agentTagPrefix.length && !hasWhitespaceOrControl(claim);
}

/**
 * The value a match rule sees for `claim`, or `undefined` when the claim is not found:
 * an empty optional claim, an absent agent tag, or a name that is not matchable.
 * `build_number` is its decimal string. Never throws; values are not validated here.
 */
export function lookupClaim(claims: BuildkiteClaims, claim: string): string | undefined {
  const read = fixedClaims.get(claim);
  if (read !== undefined) return read(claims);
  if (!isMatchableClaim(claim)) return undefined;
  const tag = claim.slice(agentTagPrefix.length);
  // Own properties only: `agent_tag:constructor` must not find Object.prototype's.
  return Object.hasOwn(claims.agentTags, tag) ? claims.agentTags[tag] : undefined;
}

/**
 * {@link lookupClaim}, refusing a found value a rule should not evaluate: longer than
 * {@link maxClaimValueBytes} UTF-8 bytes, or holding whitespace or control characters.
 * @throws ClaimInvalidError (code `claim_invalid`) for such a value.
 */
export function lookupValidClaim(claims: BuildkiteClaims, claim: string): string | undefined {
  const value = lookupClaim(claims, claim);
  if (value === undefined) return undefined;
  if (Buffer.byteLength(value, 'utf8') > maxClaimValueBytes) {
    throw new ClaimInvalidError(claim, `value exceeds ${maxClaimValueBytes} bytes`);
  }
  if (hasWhitespaceOrControl(value)) {
    throw new ClaimInvalidError(claim, 'value contains whitespace or control characters');
  }
  return value;
}

function nonEmpty(value: string): string | undefined {
  return value === '' ? undefined : value;
}
