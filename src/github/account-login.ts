import { hasWhitespaceOrControl } from '../lib/has-whitespace-or-control.js';

/**
 * GitHub account logins (organizations and users), the one rule for what the bridge
 * accepts as one and for comparing two. GitHub treats logins case-insensitively, so
 * every comparison and every lookup key goes through {@link loginKey}.
 */

/** Letters, digits, `-` and `_` (GitHub Enterprise Server's normalised logins), not starting with `-`. */
const loginPattern = /^[A-Za-z0-9_][A-Za-z0-9_-]{0,99}$/;

/**
 * Why `login` cannot name a GitHub account, or `undefined` when it can. Whitespace and `/`
 * get their own reasons: they are the usual mistakes (a pasted `owner/repo`, a stray space).
 */
export function loginProblem(login: string): string | undefined {
  if (login === '') return 'must not be empty';
  if (hasWhitespaceOrControl(login)) return 'must not contain whitespace or control characters';
  if (login.includes('/')) return "must not contain '/' (an account, not a repository)";
  if (!loginPattern.test(login)) return "must be a GitHub login: letters, digits, '-' and '_', at most 100";
  return undefined;
}

/** The key two spellings of one login share. */
export function loginKey(login: string): string {
  return login.toLowerCase();
}

/** Whether two logins name the same account. */
export function sameLogin(a: string, b: string): boolean {
  return loginKey(a) === loginKey(b);
}

/** Why a repository owner gets nothing from this bridge: the one wording audit records and the checker use. */
export function notServedReason(owner: string): string {
  return `owner ${JSON.stringify(owner)} is not an account this bridge serves`;
}
