import { rateLimitRemainingOf } from '../lib/github-rate-limit.js';
import type { Fetch } from '../lib/upstream.js';

export interface GitHubGet {
  readonly fetch: Fetch;
  readonly url: string;
  /** `Bearer <App JWT or installation token>`. */
  readonly authorization: string;
  readonly signal: AbortSignal;
  /** Told the answer's `x-ratelimit-remaining` when it has one. */
  readonly onRateLimitRemaining?: ((remaining: number) => void) | undefined;
}

/**
 * A GET of GitHub's REST API as every reader here makes it: JSON media type, the pinned API
 * version, token-bridge's user agent; the answer's rate-limit headroom is reported before
 * the answer is handed back, whatever its status.
 */
export async function getFromGitHub(request: GitHubGet): Promise<Response> {
  const response = await request.fetch(request.url, {
    headers: {
      authorization: request.authorization,
      accept: 'application/vnd.github+json',
      'x-github-api-version': '2022-11-28',
      'user-agent': 'token-bridge',
    },
    signal: request.signal,
  });
  const remaining = rateLimitRemainingOf(response.headers.get('x-ratelimit-remaining'));
  if (remaining !== undefined) request.onRateLimitRemaining?.(remaining);
  return response;
}
