import type { TieredLookup } from '../cache/token-cache.js';
import type { Clock } from '../lib/clock.js';
import type { CacheObservation } from '../lib/observer.js';
import type { ResolvedProfile } from '../profile/profile-resolver.js';
import type { ProfileToken } from './profile-token.js';
import type { TokenStore } from './token-store.js';
import { covers, isServable } from './token-rules.js';
import { cacheKeyOf, type VendRequest, type Vendor } from './vendor.js';

/** How a cache lookup went in one tier; metrics hang on this. */
export type CacheResult = CacheObservation['result'];

export interface CachedVendorOptions {
  readonly store: TokenStore;
  readonly clock: Clock;
  /** A token is served from the cache only while at least this much of its life remains. */
  readonly minTokenLifetimeMs: number;
  /** Decides whether a cached organization token covers the repository git asked about. */
  readonly gitHost: string;
  /** Told, for every lookup, the result in each tier the lookup asked (see {@link resultsOf}). */
  readonly onResult?: (observation: CacheObservation) => void;
}

/**
 * The cache stage: serves a stored token for the request's key while it is servable and
 * covers the requested repository. A servable token that does not cover it answers
 * "unmatched" at once: the token holds what the inner chain would ask for (the pipeline's
 * repository as Buildkite had it when the token was minted, or the organization profile's
 * scope), so a job asking git about many other repositories costs no upstream call. A
 * pipeline whose repository changed in Buildkite is seen anew when its token is replaced.
 * With nothing servable, the store fills the key from the inner chain.
 */
export function cachedVendor<R extends ResolvedProfile>(options: CachedVendorOptions, inner: Vendor<R>): Vendor<R> {
  const { store, clock, minTokenLifetimeMs } = options;
  const report = options.onResult ?? (() => undefined);
  return async (request) => {
    const key = cacheKeyOf(request.resolved);
    const lookup = await store.lookUp(key);
    const found = lookup.value;
    const servable = found !== undefined && isServable(found, clock.nowMs(), minTokenLifetimeMs);
    const served = servable ? servedTo(found, request, options.gitHost) : undefined;
    for (const observation of resultsOf(lookup, servable, served !== undefined)) report(observation);
    if (served !== undefined) return { kind: 'issued', token: served };
    if (servable) return { kind: 'unmatched' };
    return store.fill(key, request, inner);
  };
}

/**
 * A stored token as this request should get it, or `undefined` when it does not cover the
 * requested repository. An organization token is shared by every pipeline the rules admit,
 * so its `repositoryUrl` is this request's: the URL git asked about, or empty on `/token`.
 */
export function servedTo(token: ProfileToken, request: VendRequest, gitHost: string): ProfileToken | undefined {
  const { family } = request.resolved;
  const requested = request.requestedRepositoryUrl;
  if (requested === undefined) return family === 'pipeline' ? token : { ...token, repositoryUrl: '' };
  if (!covers(token, request.resolved, requested, gitHost)) return undefined;
  return family === 'pipeline' ? token : { ...token, repositoryUrl: requested };
}

/**
 * One result per tier asked: `error` for a tier that failed; for the tier that found an
 * entry, `hit` when it was served, `mismatch` when it was servable but does not cover the
 * requested repository (answered "unmatched" without the inner chain), `miss` when
 * it had too little lifetime left; `miss` for a tier that had nothing.
 */
export function resultsOf(lookup: TieredLookup<ProfileToken>, servable: boolean, served: boolean): CacheObservation[] {
  return lookup.tiers.map(({ tier, answer }) => {
    if (answer === 'failed') return { tier, result: 'error' };
    if (answer === 'absent' || !servable) return { tier, result: 'miss' };
    return { tier, result: served ? 'hit' : 'mismatch' };
  });
}
