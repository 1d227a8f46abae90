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

/**
 * The one `Authorization` header of a request. Node keeps only the first of several, so
 * the raw headers are counted: more than one is refused rather than silently picked from.
 */
export function authorizationHeaderOf(rawHeaders: readonly string[], value: string | undefined): string | undefined {
  let count = 0;
  for (let index = 0; index < rawHeaders.length; index += 2) {
    if (rawHeaders[index]?.toLowerCase() === 'authorization') count += 1;
  }
  if (count > 1) throw new TokenInvalidError('more than one Authorization header');
  return value;
}
