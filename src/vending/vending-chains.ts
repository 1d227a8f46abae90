import type { InstallationDirectory } from '../github/installation-directory.js';
import type { InstallationTokenMinters } from '../github/installation-tokens.js';
import { rememberMintRefusals } from '../github/remembered-mint-refusals.js';
import type { Clock } from '../lib/clock.js';
import type { RetryBudget, RetryBudgets } from '../lib/retry-budget.js';
import type { CacheObservation } from '../lib/observer.js';
import type { PipelineRepositoryLookup } from '../pipeline/buildkite-pipelines.js';
import { rememberLookupFailures } from '../pipeline/remembered-lookup-failures.js';
import type { ResolvedProfile } from '../profile/profile-resolver.js';
import { auditedVendor } from './audited-vendor.js';
import { authorizedVendor } from './authorized-vendor.js';
import { cachedVendor } from './cached-vendor.js';
import { coalescedVendor } from './coalesced-vendor.js';
import { organizationMintingVendor } from './organization-minting-vendor.js';
import { pipelineMintLimited, type PipelineMintLimitOptions } from './pipeline-mint-limit.js';
import { pipelineMintingVendor } from './pipeline-minting-vendor.js';
import type { TokenStore } from './token-store.js';
import { ownerOfIssued } from './token-rules.js';
import type { ProfileToken, ResolvedOrganizationProfile, ResolvedPipelineProfile, VendRequest, Vendor } from './vendor.js';

export interface VendingChainParts {
  /** The memory tier alone, or the memory tier in front of Valkey with the fleet lock. */
  readonly store: TokenStore;
  readonly clock: Clock;
  readonly minTokenLifetimeMs: number;
  readonly lookupRepository: PipelineRepositoryLookup;
  /** Which installation serves a repository owner, and the account's login as known. */
  readonly installations: Pick<InstallationDirectory, 'installationFor' | 'accountName'>;
  readonly mint: InstallationTokenMinters;
  /** Starts a request's retry budget when minting starts (on a cache miss). */
  readonly retryBudget: RetryBudgets;
  readonly gitHost: string;
  /** How long a failed pipeline lookup or a refused mint is answered again without asking upstream. */
  readonly failureTtlMs: number;
  /** `PIPELINE_MINT_LIMIT_PER_MINUTE` and its counter (the fleet's or this instance's). */
  readonly mintLimit: PipelineMintLimitOptions;
  /** Told the result of every cache lookup in each tier it asked. */
  readonly onCacheResult?: (observation: CacheObservation) => void;
}

/** One chain per profile family; a route calls the chain of its family. */
export interface VendingChains {
  readonly pipeline: Vendor<ResolvedPipelineProfile>;
  readonly organization: Vendor<ResolvedOrganizationProfile>;
}

/**
 * Both vending chains, outermost first. The order is the security model:
 * - audit wraps everything, so every outcome is recorded;
 * - authorize must wrap the cache, or a warm entry would skip the match rules
 *   (Chinmina's GHSA-4c7c-j34f-h9q6);
 * - coalescing sits outside the cache so a burst does one lookup and one mint;
 * - the cache serves only servable tokens that cover the request, and its store fills a
 *   miss (with a shared tier, under the fleet lock, so a burst across instances mints once);
 * - the per-pipeline mint limit sits inside the cache, on the miss path only: a cache hit
 *   is never limited, and a token the fleet lock's holder minted is not counted twice;
 * - minting is innermost and runs only on a miss; it picks the installation of the
 *   repository's owner, and refuses an owner that is not served before asking GitHub;
 *   its upstream calls remember a failed lookup or a refused mint for `failureTtlMs`, so
 *   a retried failure costs no upstream call until then.
 */
export function composeVendingChains(parts: VendingChainParts): VendingChains {
  const { onCacheResult, installations, gitHost, mintLimit, ...rest } = parts;
  const cacheOptions = { ...rest, gitHost, ...(onCacheResult && { onResult: onCacheResult }) };
  const remembering = { clock: parts.clock, rememberMs: parts.failureTtlMs };
  const minting = {
    gitHost,
    lookupRepository: rememberLookupFailures(parts.lookupRepository, remembering),
    mint: rememberMintRefusals(parts.mint, remembering),
    installationFor: (owner: string, budget?: RetryBudget) => installations.installationFor(owner, budget),
    retryBudget: parts.retryBudget,
  };
  // A cached pipeline token is the same object request after request: its URL is parsed once.
  const pipelineOwners = new WeakMap<ProfileToken, string | undefined>();
  const ownerOf = (token: ProfileToken, request: VendRequest) => {
    if (request.resolved.family !== 'pipeline') return ownerOfIssued(token, request.resolved, gitHost);
    if (!pipelineOwners.has(token)) pipelineOwners.set(token, ownerOfIssued(token, request.resolved, gitHost));
    return pipelineOwners.get(token);
  };
  const accountOf = (token: ProfileToken, request: VendRequest) => {
    const owner = ownerOf(token, request);
    return owner === undefined ? undefined : installations.accountName(owner);
  };
  const chainOver = <R extends ResolvedProfile>(mint: Vendor<R>): Vendor<R> =>
    auditedVendor(authorizedVendor(coalescedVendor(cachedVendor(cacheOptions, pipelineMintLimited(mintLimit, mint)))), accountOf);
  return {
    pipeline: chainOver(pipelineMintingVendor(minting)),
    organization: chainOver(organizationMintingVendor(minting)),
  };
}
