/**
 * A repository name a caller may scope an organization token to: GitHub's own alphabet
 * (letters, digits, `.`, `_`, `-`), not `.` or `..`. No owner, nothing trimmed or
 * case-folded, so what reaches GitHub is exactly what the caller named.
 */
export function isValidRepositoryScope(value: string): boolean {
  return /^[A-Za-z0-9._-]+$/.test(value) && value !== '.' && value !== '..';
}
