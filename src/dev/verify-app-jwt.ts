import type { KeyObject } from 'node:crypto';
import { errors, jwtVerify } from 'jose';

/** GitHub refuses App JWTs living longer than 10 minutes; 60 s more allows the usual iat backdate. */
export const maxAppJwtLifetimeSecs = 660;

/** What an App JWT is checked against. */
export interface AppJwtExpectations {
  readonly publicKey: KeyObject;
  readonly appId: string;
  readonly nowMs: number;
}

/**
 * Checks a GitHub App JWT the way GitHub does: RS256 under the App's public key, `iss` equal
 * to the App id (as a string), `iat` and `exp` present, `iat` not in the future, not expired,
 * and `exp - iat` at most {@link maxAppJwtLifetimeSecs}. Returns whether it passed; the
 * reason is not needed because GitHub gives every failure the same answer.
 */
export async function verifyAppJwt(jwt: string, expected: AppJwtExpectations): Promise<boolean> {
  try {
    const { payload } = await jwtVerify(jwt, expected.publicKey, {
      algorithms: ['RS256'],
      issuer: expected.appId,
      requiredClaims: ['iat', 'exp'],
      // Also rejects an iat in the future, which GitHub refuses too.
      maxTokenAge: maxAppJwtLifetimeSecs,
      currentDate: new Date(expected.nowMs),
    });
    const { iat, exp } = payload;
    return iat !== undefined && exp !== undefined && exp - iat <= maxAppJwtLifetimeSecs;
  } catch (error) {
    // Every jose verification failure means "rejected"; anything else is a bug in the fake.
    if (error instanceof errors.JOSEError) return false;
    throw error;
  }
}

/** The bearer token of an `Authorization` header, or undefined. */
export function bearerToken(authorization: string | undefined): string | undefined {
  const match = /^Bearer\s+(\S+)$/i.exec(authorization ?? '');
  return match?.[1];
}
