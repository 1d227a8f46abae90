import { hasWhitespaceOrControl } from './has-whitespace-or-control.js';

/**
 * A repository name a caller may scope an organization token to: non-empty, no `/` (no
 * owner), no whitespace or control characters. Nothing is trimmed or case-folded.
 */
export function isValidRepositoryScope(value: string): boolean {
  return value !== '' && !value.includes('/') && !hasWhitespaceOrControl(value);
}
