import { readFile } from 'node:fs/promises';
import type { Logger } from 'pino';
import { createCircuitBreaker } from '../cache/circuit-breaker.js';
import { createElastiCacheAuthToken } from '../cache/elasticache-iam-token.js';
import { loadAwsKeyset } from '../cache/encryption/aws-keyset-loader.js';
import { createEncryptedCodec, plaintextCodec, type CacheValueCodec } from '../cache/encryption/cache-value-codec.js';
import { parseCleartextKeysetJson } from '../cache/encryption/keyset-json.js';
import { decodeKeysetProtobuf } from '../cache/encryption/keyset-protobuf.js';
import { timeKeysetLoads } from '../cache/encryption/keyset-load-times.js';
import { startKeysetRefresh } from '../cache/encryption/keyset-refresh.js';
import { createTinkAead } from '../cache/encryption/tink-aead.js';
import type { TokenCache } from '../cache/token-cache.js';
import { createValkeyCache } from '../cache/valkey-cache.js';
import { createValkeyClient } from '../cache/valkey-client.js';
import { ValkeyCommandError } from '../errors.js';
import { createValkeyLock } from '../cache/valkey-lock.js';
import { createValkeyWindowCounter } from '../cache/valkey-window-counter.js';
import type { KeysetSource, SharedCacheConfig } from '../config/cache-config.js';
import type { Clock } from '../lib/clock.js';
import type { Upstream, UpstreamName } from '../lib/upstream.js';
import type { WindowCounter } from '../lib/window-counter.js';
import type { FleetLock } from '../vending/fleet-token-store.js';
import { mintLimitWindowMs } from '../vending/pipeline-mint-limit.js';
import { parseProfileToken, type ProfileToken } from '../vending/profile-token.js';
import type { LoadAwsClients } from './aws-clients.js';

/** The shared tier, its lock, the fleet's mint counts, and how to stop them. */
export interface SharedCache {
  readonly cache: TokenCache<ProfileToken>;
  readonly lock: FleetLock;
  /** The fleet's count of mints per pipeline in the mint limit's window. */
  readonly mintCounts: WindowCounter;
  /** Whether Valkey accepts commands now. */
  connected(): boolean;
  /** When the encryption keyset in use was loaded; absent without encryption. */
  readonly keysetLoadedAtMs?: () => number | undefined;
  stop(): Promise<void>;
}

interface Parts {
  readonly clock: Clock;
  readonly logger: Logger;
  readonly upstream: (name: UpstreamName) => Upstream;
  readonly aws: LoadAwsClients;
}

/**
 * Connects to Valkey (never blocking start-up on it) with the encryption codec in front.
 * With encryption on, the keyset is loaded and self-tested first: a keyset that cannot be
 * read stops start-up with the reason. Throws for a region-less IAM configuration.
 */
export async function startSharedCache(config: SharedCacheConfig, parts: Parts): Promise<SharedCache> {
  const loader = config.encryption === undefined ? undefined : timeKeysetLoads(keysetLoader(config.encryption, parts), parts.clock);
  const keyset = loader === undefined ? undefined : await startKeysetRefresh({ load: loader.load, logger: parts.logger });
  const codec: CacheValueCodec = keyset === undefined ? plaintextCodec : createEncryptedCodec(() => keyset.current());
  const connection = createValkeyClient({
    address: config.address,
    tls: config.tls,
    username: config.username === '' ? undefined : config.username,
    password: config.password,
    passwordProvider: config.iam === undefined ? undefined : await iamPasswords(config, parts),
    logger: parts.logger,
    clock: parts.clock,
  });
  // One breaker for the cache and the lock: a hung Valkey costs one command timeout per
  // window, so an outage adds at most about that to a request.
  const breaker = createCircuitBreaker({ clock: parts.clock, isOutage: (error) => error instanceof ValkeyCommandError });
  const valkey = parts.upstream('valkey');
  const cache = createValkeyCache({ client: connection.client, codec, clock: parts.clock, parse: parseProfileToken, upstream: valkey });
  const lock = createValkeyLock({ client: connection.client, upstream: valkey });
  const mintCounts = createValkeyWindowCounter({ client: connection.client, windowMs: mintLimitWindowMs, prefix: 'mint-limit:', upstream: valkey });
  return {
    cache: {
      get: (key) => breaker.run(() => cache.get(key)),
      // Writes and releases skip the breaker: they run off the request path, and a release
      // skipped would leave the rest of the fleet waiting on a lock.
      set: (key, value, expiresAtMs) => cache.set(key, value, expiresAtMs),
    },
    lock: {
      acquire: (key, ttlMs) => breaker.run(() => lock.acquire(key, ttlMs)),
      release: (key, token) => lock.release(key, token),
      held: (key) => breaker.run(() => lock.held(key)),
    },
    mintCounts: (key) => breaker.run(() => mintCounts(key)),
    connected: () => connection.connected(),
    ...(keyset && loader && { keysetLoadedAtMs: () => loader.loadedAtMs(keyset.current()) }),
    stop: async () => {
      keyset?.stop();
      await connection.close();
    },
  };
}

function keysetLoader(source: KeysetSource, parts: Parts) {
  if (source.kind === 'file') {
    return async () => createTinkAead(parseCleartextKeysetJson(await readFile(source.path, 'utf8')));
  }
  return async () => {
    const aws = await parts.aws();
    return createTinkAead(
      decodeKeysetProtobuf(
        await loadAwsKeyset({
          secretUri: source.keysetUri,
          kmsKeyUri: source.kmsKeyUri,
          secrets: aws.secretsManager(),
          kms: aws.kms(),
          upstreams: { secrets: parts.upstream('secrets-manager'), kms: parts.upstream('kms') },
        }),
      ),
    );
  };
}

/** A fresh ElastiCache IAM token for every connection, signed with the standard AWS chain. */
async function iamPasswords(config: SharedCacheConfig, parts: Parts) {
  const aws = await parts.aws();
  const { clock } = parts;
  return createElastiCacheAuthToken({
    cacheName: config.iam?.cacheName ?? '',
    userId: config.username,
    serverless: config.iam?.serverless ?? false,
    region: await aws.region().catch(() => ''),
    credentials: aws.credentials,
    clock,
  });
}
