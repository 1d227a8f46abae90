import { startOidcIssuer, type OidcIssuer } from '../../src/dev/oidc-issuer.js';
import { createManualClock, type ManualClock } from '../../src/lib/clock.js';
import { createUpstream } from '../../src/lib/upstream.js';
import { createDiscoveryKeyResolver, type KeyResolver } from '../../src/oidc/key-resolver.js';
import { createTokenVerifier, type TokenVerifier } from '../../src/oidc/token-verifier.js';

export const startMs = Date.UTC(2026, 10, 23, 18, 0, 0);
export const startSecs = startMs / 1000;

export interface OidcWorld {
  readonly clock: ManualClock;
  readonly issuer: OidcIssuer;
  readonly keys: KeyResolver;
  /** How often the verifier asked `keys` for a key. */
  readonly keyLookups: () => number;
  readonly verify: TokenVerifier;
}

export interface OidcWorldOptions {
  readonly refreshIntervalMs?: number;
  readonly unknownKeyCooldownMs?: number;
  /** The issuer the verifier expects; default the stand-in's own URL. */
  readonly expectedIssuer?: (issuer: OidcIssuer) => string;
}

/**
 * A real RS256 issuer over HTTP and a verifier that discovers its keys with `globalThis.fetch`,
 * both on one manual clock. The key resolver handed to the verifier counts its calls (an
 * injected interface, not a mock of ours).
 */
export async function startOidcWorld(options: OidcWorldOptions = {}): Promise<OidcWorld> {
  const clock = createManualClock(startMs);
  return createOidcWorld(await startOidcIssuer({ clock }), clock, options);
}

/** A fresh verifier (no keys, nothing remembered) for an issuer already running on `clock`. */
export function createOidcWorld(issuer: OidcIssuer, clock: ManualClock, options: OidcWorldOptions = {}): OidcWorld {
  const issuerUrl = options.expectedIssuer?.(issuer) ?? issuer.url;
  const discovered = createDiscoveryKeyResolver({
    issuerUrl,
    fetch: globalThis.fetch,
    upstream: createUpstream({ name: 'oidc', timeoutMs: 2000, clock }),
    clock,
    ...(options.refreshIntervalMs !== undefined && { refreshIntervalMs: options.refreshIntervalMs }),
    ...(options.unknownKeyCooldownMs !== undefined && { unknownKeyCooldownMs: options.unknownKeyCooldownMs }),
  });
  let lookups = 0;
  const keys: KeyResolver = (header, token) => {
    lookups += 1;
    return discovered(header, token);
  };
  const verify = createTokenVerifier({ issuer: issuerUrl, audience: 'app-token-issuer', organizationSlug: 'acme', keys, clock });
  return { clock, issuer, keys, keyLookups: () => lookups, verify };
}

/** The claims the verifier gives for the stand-in's default token signed at `nowSecs`. */
export function defaultClaims(issuerUrl: string, nowSecs: number) {
  return {
    issuer: issuerUrl,
    subject: 'organization:acme:pipeline:widget:ref:refs/heads/main:commit:abc123:step:build',
    audience: ['app-token-issuer'],
    expiresAtSecs: nowSecs + 300,
    organizationSlug: 'acme',
    pipelineSlug: 'widget',
    pipelineId: '0190a1b2-0000-7000-8000-000000000001',
    buildNumber: 42,
    buildBranch: 'main',
    buildCommit: 'abc123',
    buildTag: '',
    jobId: '0190a1b2-0000-7000-8000-0000000000aa',
    agentId: '0190a1b2-0000-7000-8000-0000000000bb',
    stepKey: 'build',
    clusterId: '',
    clusterName: '',
    queueId: '',
    queueKey: '',
    agentTags: {},
  };
}

export const tokenInvalid = { code: 'token_invalid' };
