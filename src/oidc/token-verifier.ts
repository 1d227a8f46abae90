import { errors as joseErrors } from 'jose';
import { LRUCache } from 'lru-cache';
import { BridgeError, TokenInvalidError } from '../errors.js';
import type { Clock } from '../lib/clock.js';
import { parseBuildkiteClaims, type BuildkiteClaims } from './buildkite-claims.js';
import type { KeyResolver } from './key-resolver.js';
import { checkRegisteredClaims, type RegisteredClaimsRules } from './registered-claims.js';
import { rememberedKeyObjects, verifyRs256Jws, type KeyObjectsOf } from './rs256-jws.js';

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
 * RS256-only verification (the signature by {@link verifyRs256Jws}) of issuer, audience,
 * time claims (with a small tolerance), the Buildkite claims and the organization. A
 * verified token is remembered by its exact text until its `exp`, looked up before
 * anything is parsed, so a job's repeated calls skip the RSA work; failures are never
 * remembered.
 */
export function createTokenVerifier(options: TokenVerifierOptions): TokenVerifier {
  const { clock } = options;
  const verified = new LRUCache<string, BuildkiteClaims>({ max: options.cacheSize ?? 10_000 });
  const context: VerifyContext = {
    keyObjects: rememberedKeyObjects(),
    rules: { issuer: options.issuer, audience: options.audience, toleranceSecs: options.clockToleranceSecs ?? 5 },
  };

  return async (token) => {
    const remembered = verified.get(token);
    if (remembered !== undefined && clock.nowMs() < remembered.expiresAtSecs * 1000) return remembered;

    const claims = await verifyToken(token, options, context);
    verified.set(token, claims);
    return claims;
  };
}

async function verifyToken(token: string, options: TokenVerifierOptions, context: VerifyContext): Promise<BuildkiteClaims> {
  let payload: Record<string, unknown>;
  try {
    payload = await verifyRs256Jws(token, options.keys, context.keyObjects);
  } catch (error) {
    if (error instanceof TokenInvalidError) throw error;
    if (error instanceof BridgeError) throw new TokenInvalidError(`keys unavailable: ${error.message}`, { cause: error });
    throw new TokenInvalidError(describeJoseError(error), { cause: error });
  }
  checkRegisteredClaims(payload, context.rules, options.clock.nowMs());
  const parsed = parseBuildkiteClaims(payload);
  if (!parsed.ok) throw new TokenInvalidError(parsed.reason);
  if (parsed.claims.organizationSlug !== options.organizationSlug) {
    throw new TokenInvalidError(`expecting token issued for organization ${options.organizationSlug}`);
  }
  return parsed.claims;
}

interface VerifyContext {
  readonly keyObjects: KeyObjectsOf;
  readonly rules: RegisteredClaimsRules;
}

/** The reason of a key resolver's own error (no key matches the token's `kid`, …). */
function describeJoseError(error: unknown): string {
  if (error instanceof joseErrors.JOSEError) return `${error.code}: ${error.message}`;
  return 'token could not be verified';
}
