import type { Logger } from 'pino';
import { createMemoryCache } from '../cache/memory-cache.js';
import type { Config } from '../config/load-config.js';
import type { Clock } from '../lib/clock.js';
import type { Upstream, UpstreamName } from '../lib/upstream.js';
import { createFleetTokenStore } from '../vending/fleet-token-store.js';
import type { ProfileToken } from '../vending/profile-token.js';
import { createLocalTokenStore, type TokenStore } from '../vending/token-store.js';
import type { LoadAwsClients } from './aws-clients.js';
import type { SharedCache } from './shared-cache.js';

/**
 * Where the cache stage keeps tokens: the memory tier alone, or (`CACHE_TYPE=valkey`) the
 * memory tier in front of Valkey with coalescing across the fleet. Asynchronous because an
 * encrypted shared cache loads its keyset first; throws when it cannot.
 */
export async function startTokenStore(
  config: Config,
  parts: { clock: Clock; logger: Logger; upstream: (name: UpstreamName) => Upstream; aws: LoadAwsClients },
): Promise<{ store: TokenStore; shared: SharedCache | undefined }> {
  const { clock, logger } = parts;
  const { minTokenLifetimeMs } = config.cache;
  const local = createMemoryCache<ProfileToken>({ clock });
  if (config.cache.shared === undefined) {
    return { store: createLocalTokenStore({ cache: local, clock, minTokenLifetimeMs, logger }), shared: undefined };
  }
  // Loaded only when configured: the Valkey client and the AWS SDK stay out of a memory-only service.
  const { startSharedCache } = await import('./shared-cache.js');
  const shared = await startSharedCache(config.cache.shared, parts);
  const { gitHost } = config.github;
  const store = createFleetTokenStore({ local, shared: shared.cache, lock: shared.lock, clock, minTokenLifetimeMs, gitHost, logger });
  return { store, shared };
}
