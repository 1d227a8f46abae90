/** The longest wait an upstream's answer can impose: a bogus header must not stop calls for days. */
export const maxRateLimitWaitSecs = 3600;

/**
 * `Retry-After` in whole seconds (at least 1, at most {@link maxRateLimitWaitSecs}): a
 * number of seconds, or an HTTP date read against the answer's own `Date` header (so our
 * clock's skew does not matter). `undefined` when absent or unreadable.
 */
export function retryAfterSecondsOf(headers: Headers): number | undefined {
  const value = headers.get('retry-after')?.trim();
  if (value === undefined || value === '') return undefined;
  if (/^\d{1,10}$/.test(value)) return clampWait(Number(value));
  const atMs = Date.parse(value);
  const sentMs = Date.parse(headers.get('date') ?? '');
  return Number.isNaN(atMs) || Number.isNaN(sentMs) ? undefined : clampWait((atMs - sentMs) / 1000);
}

/**
 * Seconds until an epoch-seconds reset header (GitHub's `x-ratelimit-reset`), read against
 * the answer's `Date` header; `undefined` when either is absent or unreadable.
 */
export function secondsUntilResetOf(headers: Headers, resetHeader: string): number | undefined {
  const reset = headers.get(resetHeader)?.trim();
  const sentMs = Date.parse(headers.get('date') ?? '');
  if (reset === undefined || !/^\d{1,12}$/.test(reset) || Number.isNaN(sentMs)) return undefined;
  return clampWait(Number(reset) - sentMs / 1000);
}

/** A wait in seconds, whole, within [1, {@link maxRateLimitWaitSecs}]. */
export function clampWait(seconds: number): number {
  return Math.min(Math.max(Math.ceil(seconds), 1), maxRateLimitWaitSecs);
}
