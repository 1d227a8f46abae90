import { createHash } from 'node:crypto';

/**
 * base64 (standard, padded) of SHA-256 of the token: the form GitHub's audit log shows
 * as `hashed_token`, so operators can correlate a vend with what the token did.
 */
export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('base64');
}
