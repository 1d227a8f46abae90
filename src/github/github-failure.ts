import { httpFailure, UpstreamRateLimitedError, type BridgeError } from '../errors.js';
import { rateLimitRemainingOf } from '../lib/github-rate-limit.js';
import { retryAfterSecondsOf, secondsUntilResetOf } from '../lib/retry-after.js';

/** GitHub's advice when a 429 says nothing of when to come back: wait at least a minute. */
const unspecifiedWaitSecs = 60;

/**
 * The seconds GitHub asks us to wait, or `undefined` when the answer is no rate limit: a
 * `429`, or a `403` carrying `Retry-After` or `x-ratelimit-remaining: 0` (a primary or
 * secondary limit). `Retry-After` wins; then the `x-ratelimit-reset` of a spent limit; a
 * bare 429 waits a minute. A plain 403 (no permission) is not a rate limit.
 */
export function gitHubRateLimitWaitSecs(status: number, headers: Headers): number | undefined {
  if (status !== 429 && status !== 403) return undefined;
  const retryAfter = retryAfterSecondsOf(headers);
  if (retryAfter !== undefined) return retryAfter;
  const spent = rateLimitRemainingOf(headers.get('x-ratelimit-remaining')) === 0;
  if (spent) return secondsUntilResetOf(headers, 'x-ratelimit-reset') ?? unspecifiedWaitSecs;
  return status === 429 ? unspecifiedWaitSecs : undefined;
}

/**
 * The error for a GitHub answer that is not a success the caller handles: a rate limit
 * ({@link UpstreamRateLimitedError}, waited for or answered 503), a 5xx (retryable) or any
 * other status (not retried). GitHub's message is never read.
 */
export function gitHubFailure(operation: string, response: Response): BridgeError {
  const waitSecs = gitHubRateLimitWaitSecs(response.status, response.headers);
  if (waitSecs !== undefined) return new UpstreamRateLimitedError('github', operation, waitSecs);
  return httpFailure('github', operation, response.status);
}
