import type { Logger } from 'pino';
import type { TieredTokenCache, TokenCache } from '../cache/token-cache.js';
import type { InstallationTokenMinter } from '../github/installation-tokens.js';
import type { Clock } from '../lib/clock.js';
import type { CacheObservation } from '../lib/observer.js';
import type { PipelineRepositoryLookup } from '../pipeline/buildkite-pipelines.js';
import { auditedVendor } from './audited-vendor.js';
import { authorizedVendor } from './authorized-vendor.js';
import { cachedVendor } from './cached-vendor.js';
import { coalescedVendor } from './coalesced-vendor.js';
import { fleetCoalescedVendor, type FleetLock } from './fleet-coalesced-vendor.js';
import { organizationMintingVendor } from './organization-minting-vendor.js';
import { pipelineMintingVendor } from './pipeline-minting-vendor.js';
import type { ProfileToken, Vendor } from './vendor.js';

export interface VendorParts {
  /** The memory tier alone, or the tiered cache in front of Valkey. */
  readonly cache: TokenCache<ProfileToken> | TieredTokenCache<ProfileToken>;
  readonly clock: Clock;
  readonly minTokenLifetimeMs: number;
  readonly logger: Logger;
  readonly lookupRepository: PipelineRepositoryLookup;
  readonly mint: InstallationTokenMinter;
  readonly gitHost: string;
  /** Told the result of every cache lookup in each tier it asked. */
  readonly onCacheResult?: (observation: CacheObservation) => void;
  /** With a shared tier: one mint per token across the fleet. */
  readonly fleet?: { readonly lock: FleetLock; readonly shared: TokenCache<ProfileToken> };
}

/**
 * The vending chain, outermost first. The order is the security model:
 * - audit wraps everything, so every outcome is recorded;
 * - authorize must wrap the cache, or a warm entry would skip the match rules
 *   (Chinmina's GHSA-4c7c-j34f-h9q6);
 * - coalescing sits outside the cache so a burst does one lookup and one mint;
 * - with a shared tier, the fleet lock sits between the cache and minting, so a burst
 *   across instances mints once;
 * - minting is innermost and runs only on a miss.
 */
export function composeVendor(parts: VendorParts): Vendor {
  const pipelineMinting = pipelineMintingVendor(parts);
  const organizationMinting = organizationMintingVendor(parts);
  const localMinting: Vendor = (request) =>
    request.resolved.family === 'pipeline'
      ? pipelineMinting(request)
      : organizationMinting(request, request.resolved.profile, request.resolved.scopedRepository);
  const minting =
    parts.fleet === undefined ? localMinting : fleetCoalescedVendor({ ...parts, ...parts.fleet }, localMinting);
  const cached = cachedVendor(
    {
      cache: parts.cache,
      clock: parts.clock,
      minTokenLifetimeMs: parts.minTokenLifetimeMs,
      logger: parts.logger,
      gitHost: parts.gitHost,
      ...(parts.onCacheResult && { onResult: parts.onCacheResult }),
    },
    minting,
  );
  return auditedVendor(authorizedVendor(coalescedVendor(cached)));
}
