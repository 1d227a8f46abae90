import { z } from 'zod';
import { UpstreamFailedError, UpstreamRefusedError } from '../errors.js';
import { rateLimitRemainingOf } from '../lib/github-rate-limit.js';
import { createRateLimitGate, type RateLimitGate } from '../lib/rate-limit-gate.js';
import type { RetryBudget } from '../lib/retry-budget.js';
import { readJson, type Fetch, type Upstream } from '../lib/upstream.js';
import type { AppJwtSource } from './app-jwt.js';
import { gitHubFailure } from './github-failure.js';
import type { PermissionAction } from './permissions.js';

/** What to mint: repository names (no owner) and GitHub permission fields. */
export interface MintRequest {
  /** `undefined` means every repository of the installation. Never empty. */
  readonly repositories: readonly string[] | undefined;
  /** Empty means the installation's own permissions (used to read the profile file). */
  readonly permissions: Readonly<Record<string, PermissionAction>>;
}

export interface InstallationToken {
  readonly token: string;
  /** GitHub's `expires_at`, as it sent it. */
  readonly expiresAt: string;
}

/**
 * Creates installation access tokens on one installation. With `budget` (the request's, see
 * retry-budget.ts) a failed or rate-limited mint is tried again within it; without, once.
 */
export type InstallationTokenMinter = (request: MintRequest, budget?: RetryBudget) => Promise<InstallationToken>;

/** The minter of each installation, by installation id; all share one client and one App JWT. */
export type InstallationTokenMinters = (installationId: string) => InstallationTokenMinter;

/** What every App-JWT client of GitHub's API takes: minting and installation discovery. */
export interface GitHubAppClientOptions {
  /** `https://api.github.com`, or `https://HOST/api/v3` for GitHub Enterprise Server. */
  readonly apiUrl: string;
  readonly appJwt: AppJwtSource;
  readonly fetch: Fetch;
  readonly upstream: Upstream;
  /** The App's rate limit, shared with every other App-JWT call; a gate of its own when absent. */
  readonly appRateLimit?: RateLimitGate;
  /** Told GitHub's `x-ratelimit-remaining` (the App's budget) on every answer that has one. */
  readonly onRateLimitRemaining?: (remaining: number) => void;
}

export type InstallationTokenMinterOptions = GitHubAppClientOptions;

const operation = 'installation token';

/** The fields of GitHub's answer that matter here; the rest (permissions, repositories) is GitHub's echo. */
const tokenAnswer = z.object({ token: z.string().min(1), expires_at: z.string() });

/**
 * `POST /app/installations/{id}/access_tokens`, on the installation the caller picks (the
 * installation directory decides which one serves a repository owner). GitHub answering
 * 422 (a repository the installation cannot reach) is the caller's problem, 403; a rate
 * limit is waited for within the budget or answered 503 (and no mint is asked for until it
 * resets); anything else failing is GitHub's or our configuration's, 502, a 5xx after
 * retries. No GitHub message reaches the caller.
 */
export function createInstallationTokenMinters(options: InstallationTokenMinterOptions): InstallationTokenMinters {
  const base = options.apiUrl.replace(/\/+$/, '');
  const gate = options.appRateLimit ?? createRateLimitGate();
  return (installationId) => {
    // The id stays a string: installation ids are int64 and must not lose digits.
    const url = `${base}/app/installations/${encodeURIComponent(installationId)}/access_tokens`;
    return (request, budget) => {
      const body = JSON.stringify({
        ...(request.repositories === undefined ? {} : { repositories: request.repositories }),
        ...(Object.keys(request.permissions).length === 0 ? {} : { permissions: request.permissions }),
      });
      const attempt = async (signal: AbortSignal) => {
        const response = await options.fetch(url, { method: 'POST', headers: await headersFor(options), body, signal });
        const remaining = rateLimitRemainingOf(response.headers.get('x-ratelimit-remaining'));
        if (remaining !== undefined) options.onRateLimitRemaining?.(remaining);
        return tokenOf(response);
      };
      return options.upstream.call(operation, attempt, { budget, gate });
    };
  };
}

/** Asked per attempt: the App JWT source renews the JWT when it is due. */
async function headersFor(options: InstallationTokenMinterOptions): Promise<Record<string, string>> {
  return {
    authorization: `Bearer ${await options.appJwt()}`,
    accept: 'application/vnd.github+json',
    'content-type': 'application/json',
    'x-github-api-version': '2022-11-28',
    'user-agent': 'token-bridge',
  };
}

/** The token of a 2xx answer; the matching error for any other. */
async function tokenOf(response: Response): Promise<InstallationToken> {
  if (response.status < 200 || response.status > 299) {
    await response.body?.cancel();
    if (response.status === 422) throw new UpstreamRefusedError('github', 'repositories not accessible to the installation');
    throw gitHubFailure(operation, response);
  }
  const answer = tokenAnswer.safeParse(await readJson(response));
  if (!answer.success) throw new UpstreamFailedError('github', operation, 'answer is not an installation token');
  return { token: answer.data.token, expiresAt: answer.data.expires_at };
}
