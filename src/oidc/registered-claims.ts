import { TokenInvalidError } from '../errors.js';

export interface RegisteredClaimsRules {
  readonly issuer: string;
  readonly audience: string;
  /** Seconds `exp`, `nbf` and `iat` may be off by. */
  readonly toleranceSecs: number;
}

/**
 * Checks the registered claims of a verified JWT payload at `nowMs`: `exp`, `nbf` and `sub`
 * present; `iss` exactly the issuer; `aud` the audience or a list holding it; not expired
 * (`exp` must be later than now less the tolerance); not before `nbf` (beyond the
 * tolerance); `iat`, when present, a number and not in the future. Time claims must be
 * numbers. The same rules, to the second, as jose's `jwtVerify` with these options.
 * Throws {@link TokenInvalidError} naming the claim.
 */
export function checkRegisteredClaims(payload: Record<string, unknown>, rules: RegisteredClaimsRules, nowMs: number): void {
  for (const claim of ['iss', 'aud', 'sub', 'nbf', 'exp']) {
    if (!Object.hasOwn(payload, claim)) throw new TokenInvalidError(`missing required "${claim}" claim`);
  }
  if (payload.iss !== rules.issuer) throw new TokenInvalidError('unexpected "iss" claim value');
  if (!hasAudience(payload.aud, rules.audience)) throw new TokenInvalidError('unexpected "aud" claim value');
  const nowSecs = Math.floor(nowMs / 1000);
  const { toleranceSecs } = rules;
  const issuedAt = numericDateOf(payload, 'iat');
  const notBefore = numericDateOf(payload, 'nbf');
  if (notBefore !== undefined && notBefore > nowSecs + toleranceSecs) {
    throw new TokenInvalidError('"nbf" claim timestamp check failed');
  }
  const expiresAt = numericDateOf(payload, 'exp');
  if (expiresAt !== undefined && expiresAt <= nowSecs - toleranceSecs) {
    throw new TokenInvalidError('"exp" claim timestamp check failed');
  }
  // A token issued in the future is refused too (beyond the tolerance).
  if (issuedAt !== undefined && issuedAt > nowMs / 1000 + toleranceSecs) {
    throw new TokenInvalidError('"iat" claim is in the future');
  }
}

function hasAudience(claim: unknown, audience: string): boolean {
  if (typeof claim === 'string') return claim === audience;
  return Array.isArray(claim) && claim.includes(audience);
}

function numericDateOf(payload: Record<string, unknown>, claim: 'iat' | 'nbf' | 'exp'): number | undefined {
  const value = payload[claim];
  if (value === undefined) return undefined;
  if (typeof value !== 'number') throw new TokenInvalidError(`"${claim}" claim must be a number`);
  return value;
}
