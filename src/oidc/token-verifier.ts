import { errors as joseErrors, jwtVerify } from 'jose';
import { LRUCache } from 'lru-cache';
import { BridgeError, TokenInvalidError } from '../errors.js';
import type { Clock } from '../lib/clock.js';
import { parseBuildkiteClaims, type BuildkiteClaims } from './buildkite-claims.js';
import type { KeyResolver } from './key-resolver.js';

/** Verifies a Buildkite OIDC token; throws {@link TokenInvalidError} with the reason. */
export type TokenVerifier = (token: string) => Promise<BuildkiteClaims>;

export interface TokenVerifierOptions {
  readonly issuer: string;
  readonly audience: string;
  /** Tokens of other Buildkite organizations are refused. */
  readonly organizationSlug: string;
  readonly keys: KeyResolver;
  readonly clock: Clock;
  readonly clockToleranceSecs?: number;
  /** How many verified tokens to remember (each until its `exp`). */
  readonly cacheSize?: number;
}

/**
 * RS256-only verification of issuer, audience, time claims (with a small tolerance), the
 * Buildkite claims and the organization. A verified token is remembered by its exact text
 * until its `exp`, looked up before anything is parsed, so a job's repeated calls skip the
 * RSA work; failures are never remembered.
 */
export function createTokenVerifier(options: TokenVerifierOptions): TokenVerifier {
  const { clock } = options;
  const toleranceSecs = options.clockToleranceSecs ?? 5;
  const verified = new LRUCache<string, BuildkiteClaims>({ max: options.cacheSize ?? 10_000 });

  return async (token) => {
    const remembered = verified.get(token);
    if (remembered !== undefined && clock.nowMs() < remembered.expiresAtSecs * 1000) return remembered;

    const claims = await verifyWithJose(token, options, toleranceSecs);
    verified.set(token, claims);
    return claims;
  };
}

async function verifyWithJose(token: string, options: TokenVerifierOptions, toleranceSecs: number) {
  let payload: unknown;
  try {
    ({ payload } = await jwtVerify(token, options.keys, {
      algorithms: ['RS256'],
      issuer: options.issuer,
      audience: options.audience,
      clockTolerance: toleranceSecs,
      currentDate: new Date(options.clock.nowMs()),
      requiredClaims: ['exp', 'nbf', 'sub'],
    }));
  } catch (error) {
    if (error instanceof BridgeError) throw new TokenInvalidError(`keys unavailable: ${error.message}`, { cause: error });
    throw new TokenInvalidError(describeJoseError(error), { cause: error });
  }
  // jose checks `iat` only against a maximum age; a token issued in the future is refused here.
  const issuedAt = (payload as { iat?: unknown }).iat;
  if (typeof issuedAt === 'number' && issuedAt > options.clock.nowMs() / 1000 + toleranceSecs) {
    throw new TokenInvalidError('"iat" claim is in the future');
  }
  const parsed = parseBuildkiteClaims(payload);
  if (!parsed.ok) throw new TokenInvalidError(parsed.reason);
  if (parsed.claims.organizationSlug !== options.organizationSlug) {
    throw new TokenInvalidError(`expecting token issued for organization ${options.organizationSlug}`);
  }
  return parsed.claims;
}

function describeJoseError(error: unknown): string {
  if (error instanceof joseErrors.JOSEError) return `${error.code}: ${error.message}`;
  return 'token could not be verified';
}
