import { TokenInvalidError, TokenMissingError } from '../errors.js';

/**
 * The token of an `Authorization: Bearer <token>` header, the scheme in any case. Throws
 * {@link TokenMissingError} when there is no header and {@link TokenInvalidError} when it is
 * not exactly a scheme and a token.
 */
export function bearerTokenOf(header: string | undefined): string {
  if (header === undefined) throw new TokenMissingError();
  const parts = header.trim().split(/\s+/);
  if (parts.length !== 2 || parts[0]?.toLowerCase() !== 'bearer' || parts[1] === undefined) {
    throw new TokenInvalidError('Authorization header is not "Bearer <token>"');
  }
  return parts[1];
}
