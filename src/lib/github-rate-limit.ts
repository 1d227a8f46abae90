/**
 * GitHub's `x-ratelimit-remaining` header as a number, or `undefined` when it is absent or
 * not a non-negative integer. Shared by every reader of GitHub answers (minting, the profile
 * file), so both budgets are read by one rule.
 */
export function rateLimitRemainingOf(value: unknown): number | undefined {
  if (typeof value !== 'string' && typeof value !== 'number') return undefined;
  const text = String(value).trim();
  return /^\d{1,12}$/.test(text) ? Number(text) : undefined;
}
