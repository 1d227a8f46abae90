import type { AuditEntry } from '../audit/audit-entry.js';
import { RequestInvalidError } from '../errors.js';
import type { BuildkiteClaims } from '../oidc/buildkite-claims.js';
import { repositoryForUrl } from '../pipeline/repository-url.js';
import { parseProfileReference, type ProfileFamily } from '../profile/profile-reference.js';
import type { ProfileResolver, RequestedScope } from '../profile/profile-resolver.js';
import { isValidRepositoryScope } from '../profile/repository-scope.js';
import type { VendingChains } from './vending-chains.js';
import type { VendResult } from './vendor.js';

/** A verified caller's request on a vending route, as the route received it. */
export interface VendCall {
  readonly family: ProfileFamily;
  readonly claims: BuildkiteClaims;
  readonly audit: AuditEntry;
  /** The `{profile}` path value; empty for the family's default profile. */
  readonly profile: string;
  /** `?repository-scope=` as sent (the organization token route). */
  readonly explicitScope?: string | undefined;
  /**
   * Git routes: the repository URL git asked about, read after the profile is recorded;
   * `undefined` when git asked about nothing this bridge has credentials for.
   */
  readonly requestedRepository?: () => Promise<string | undefined>;
}

/** Answers one vending request: resolves it once, then runs the chain of its family. */
export type Vend = (call: VendCall) => Promise<VendResult>;

/**
 * Resolves a request exactly once (profile reference, explicit or implicit repository
 * scope, the profile in one read of the store) and hands it to its family's chain. Throws
 * the resolver's errors, and RequestInvalidError for a malformed `repository-scope`.
 */
export function createVend(parts: { readonly chains: VendingChains; readonly resolveProfile: ProfileResolver; readonly gitHost: string }): Vend {
  return async (call) => {
    const { audit, claims } = call;
    if (call.profile !== '') audit.requestedProfile = call.profile;
    const explicit = explicitScopeOf(call.explicitScope);
    let requestedRepositoryUrl: string | undefined;
    if (call.requestedRepository !== undefined) {
      requestedRepositoryUrl = await call.requestedRepository();
      if (requestedRepositoryUrl === undefined) {
        audit.recordUnmatched();
        return { kind: 'unmatched' };
      }
      audit.requestedRepository = requestedRepositoryUrl;
    }
    const resolved = parts.resolveProfile(parseProfileReference(call.profile, call.family), claims, {
      explicit,
      implicit: implicitScopeOf(requestedRepositoryUrl, parts.gitHost),
    } satisfies RequestedScope);
    audit.requestedProfile = resolved.urn;
    return resolved.family === 'pipeline'
      ? parts.chains.pipeline({ claims, audit, requestedRepositoryUrl, resolved })
      : parts.chains.organization({ claims, audit, requestedRepositoryUrl, resolved });
  };
}

function explicitScopeOf(scope: string | undefined): string | undefined {
  if (scope !== undefined && !isValidRepositoryScope(scope)) throw new RequestInvalidError('invalid repository-scope');
  return scope;
}

/** The repository git asked about, by name, when it can scope a caller-scoped profile. */
function implicitScopeOf(url: string | undefined, gitHost: string): string | undefined {
  const name = url === undefined ? undefined : repositoryForUrl(url, gitHost)?.name;
  return name !== undefined && isValidRepositoryScope(name) ? name : undefined;
}
