import { createLocalJWKSet, errors as joseErrors, type JSONWebKeySet, type JWTVerifyGetKey } from 'jose';
import { UpstreamFailedError } from '../errors.js';
import type { Clock } from '../lib/clock.js';
import { createFreshValue, type Fresh } from '../lib/fresh-value.js';
import { readJson, type Fetch, type Upstream } from '../lib/upstream.js';

/** Finds the key that verifies a token, by its header; jose's resolver shape. */
export type KeyResolver = JWTVerifyGetKey;

/** A fixed key set (`JWT_JWKS_STATIC`). */
export function createStaticKeyResolver(jwks: JSONWebKeySet): KeyResolver {
  return createLocalJWKSet(jwks);
}

export interface DiscoveryKeyResolverOptions {
  readonly issuerUrl: string;
  readonly fetch: Fetch;
  readonly upstream: Upstream;
  readonly clock: Clock;
  /** Keys older than this are refetched; the old ones serve until that succeeds. */
  readonly refreshIntervalMs?: number;
  /** A token with an unknown `kid` triggers a refetch at most this often. */
  readonly unknownKeyCooldownMs?: number;
  /** Before any keys were loaded, a failed fetch is retried no sooner than this. */
  readonly firstLoadRetryMs?: number;
}

/**
 * Keys found by OIDC discovery from the issuer. Fetched on first use; refetched when they
 * age (in the background) or when a token names an unknown key (at most once a cooldown, so
 * forged `kid`s cannot make us hammer the issuer); the last good keys stay in use while the
 * issuer is down, and a failed refresh is not retried before the cooldown has passed.
 */
export function createDiscoveryKeyResolver(options: DiscoveryKeyResolverOptions): KeyResolver {
  const { clock, upstream } = options;
  const refreshIntervalMs = options.refreshIntervalMs ?? 60 * 60 * 1000;
  const cooldownMs = options.unknownKeyCooldownMs ?? 60 * 1000;
  const firstLoadRetryMs = options.firstLoadRetryMs ?? 5 * 1000;
  let jwksUri: string | undefined;
  let lastForcedMs = Number.NEGATIVE_INFINITY;

  const fetchJson = (url: string, operation: string) =>
    upstream.call(operation, async (signal) => {
      const response = await options.fetch(url, { signal, headers: { accept: 'application/json' } });
      if (!response.ok) throw new UpstreamFailedError('oidc', operation, `HTTP ${response.status}`);
      return readJson(response);
    });

  async function load(): Promise<Fresh<KeyResolver>> {
    jwksUri ??= await discoverJwksUri(options.issuerUrl, fetchJson);
    const jwks = await fetchJson(jwksUri, 'jwks');
    if (!isJwks(jwks)) throw new UpstreamFailedError('oidc', 'jwks', 'response is not a JWKS');
    // Last good keys never expire: they serve until a refetch replaces them.
    return { value: createLocalJWKSet(jwks), renewAtMs: clock.nowMs() + refreshIntervalMs, usableUntilMs: Infinity };
  }

  // Aged keys are refetched in the background: no request waits for it.
  const keys = createFreshValue({
    load,
    clock,
    renewal: 'background',
    cooldown: {
      afterFailureMs: (hadKeys) => (hadKeys ? cooldownMs : firstLoadRetryMs),
      // No keys yet and the issuer just failed: refuse without asking again until the cooldown ends.
      unavailable: () => new UpstreamFailedError('oidc', 'jwks', 'issuer unavailable, retrying after a cooldown'),
    },
  });

  return async (header, token) => {
    const resolve = await keys.get();
    try {
      return await resolve(header, token);
    } catch (error) {
      if (!(error instanceof joseErrors.JWKSNoMatchingKey) || clock.nowMs() - lastForcedMs < cooldownMs) throw error;
      lastForcedMs = clock.nowMs();
      // A key we have not seen may be a rotation: refetch once, keeping the old keys on failure.
      const refreshed = await keys.refresh().catch(() => resolve);
      return refreshed(header, token);
    }
  };
}

async function discoverJwksUri(
  issuerUrl: string,
  fetchJson: (url: string, operation: string) => Promise<unknown>,
): Promise<string> {
  const url = `${issuerUrl.replace(/\/+$/, '')}/.well-known/openid-configuration`;
  const document = await fetchJson(url, 'discovery');
  if (typeof document !== 'object' || document === null) {
    throw new UpstreamFailedError('oidc', 'discovery', 'discovery document is not an object');
  }
  // A non-null object narrowed above; its fields are checked one by one below.
  const { issuer, jwks_uri: uri } = document as Record<string, unknown>;
  if (issuer !== issuerUrl) throw new UpstreamFailedError('oidc', 'discovery', 'discovery issuer does not match');
  if (typeof uri !== 'string' || !URL.canParse(uri)) {
    throw new UpstreamFailedError('oidc', 'discovery', 'discovery document has no jwks_uri');
  }
  if (new URL(issuerUrl).protocol === 'https:' && new URL(uri).protocol !== 'https:') {
    throw new UpstreamFailedError('oidc', 'discovery', 'jwks_uri of an https issuer must be https');
  }
  return uri;
}

function isJwks(value: unknown): value is JSONWebKeySet {
  // Only `keys` is read here; jose validates each key when it is used.
  return typeof value === 'object' && value !== null && Array.isArray((value as { keys?: unknown }).keys);
}
