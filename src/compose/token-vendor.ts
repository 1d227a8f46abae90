import type { Logger } from 'pino';
import { createMemoryCache } from '../cache/memory-cache.js';
import { createTieredCache } from '../cache/tiered-cache.js';
import type { Config } from '../config/load-config.js';
import type { InstallationTokenMinter } from '../github/installation-tokens.js';
import type { Clock } from '../lib/clock.js';
import type { Observer } from '../lib/observer.js';
import type { Fetch, Upstream, UpstreamName } from '../lib/upstream.js';
import { createPipelineRepositoryLookup } from '../pipeline/buildkite-pipelines.js';
import { composeVendor } from '../vending/compose-vendor.js';
import { expiresAtMsOf, type ProfileToken, type Vendor } from '../vending/vendor.js';
import { startSharedCache, type SharedCache } from './shared-cache.js';

interface Parts {
  readonly clock: Clock;
  readonly logger: Logger;
  readonly fetch: Fetch;
  readonly upstream: (name: UpstreamName) => Upstream;
  readonly mint: InstallationTokenMinter;
  readonly observer: Observer;
}

/**
 * The vending chain over its caches: the memory tier alone, or (`CACHE_TYPE=valkey`) the
 * memory tier in front of Valkey with coalescing across the fleet. Asynchronous because an
 * encrypted shared cache loads its keyset first; throws when it cannot.
 */
export async function startTokenVendor(
  config: Config,
  parts: Parts,
): Promise<{ vendor: Vendor; shared: SharedCache | undefined }> {
  const { clock, logger, upstream } = parts;
  const { minTokenLifetimeMs } = config.cache;
  const local = createMemoryCache<ProfileToken>({ clock });
  const shared = config.cache.shared && (await startSharedCache(config.cache.shared, { clock, logger, upstream }));
  const vendor = composeVendor({
    cache:
      shared === undefined
        ? local
        : createTieredCache({
            local,
            shared: shared.cache,
            logger,
            storeUntilMs: (token) => expiresAtMsOf(token) - minTokenLifetimeMs,
            // The fleet vendor below stores every token this instance mints: one write each.
            writesShared: false,
          }),
    ...(shared && { fleet: { lock: shared.lock, shared: shared.cache } }),
    clock,
    minTokenLifetimeMs,
    logger,
    gitHost: config.github.gitHost,
    lookupRepository: createPipelineRepositoryLookup({ ...config.buildkite, fetch: parts.fetch, upstream: upstream('buildkite') }),
    mint: parts.mint,
    onCacheResult: (observation) => parts.observer.cacheResult(observation),
  });
  return { vendor, shared };
}
