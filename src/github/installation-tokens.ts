import { Octokit } from '@octokit/rest';
import { UpstreamFailedError, UpstreamRefusedError } from '../errors.js';
import { rateLimitRemainingOf } from '../lib/github-rate-limit.js';
import type { Fetch, Upstream } from '../lib/upstream.js';
import type { AppJwtSource } from './app-jwt.js';
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

/** Creates installation access tokens on one installation. */
export type InstallationTokenMinter = (request: MintRequest) => Promise<InstallationToken>;

/** The minter of each installation, by installation id; all share one client and one App JWT. */
export type InstallationTokenMinters = (installationId: string) => InstallationTokenMinter;

export interface InstallationTokenMinterOptions {
  /** `https://api.github.com`, or `https://HOST/api/v3` for GitHub Enterprise Server. */
  readonly apiUrl: string;
  readonly appJwt: AppJwtSource;
  readonly fetch: Fetch;
  readonly upstream: Upstream;
  /** Told GitHub's `x-ratelimit-remaining` (the App's budget) on every answer that has one. */
  readonly onRateLimitRemaining?: (remaining: number) => void;
}

/**
 * `POST /app/installations/{id}/access_tokens`, on the installation the caller picks (the
 * installation directory decides which one serves a repository owner). GitHub answering
 * 422 (a repository the installation cannot reach) is the caller's problem, 403; anything
 * else failing is GitHub's or our configuration's, 502. No GitHub message reaches the caller.
 */
export function createInstallationTokenMinters(options: InstallationTokenMinterOptions): InstallationTokenMinters {
  const silent = () => undefined;
  const octokit = new Octokit({
    baseUrl: options.apiUrl,
    userAgent: 'token-bridge',
    request: { fetch: options.fetch },
    log: { debug: silent, info: silent, warn: silent, error: silent },
  });
  const reportRateLimit = (headers: Readonly<Record<string, unknown>> | undefined) => {
    const remaining = rateLimitRemainingOf(headers?.['x-ratelimit-remaining']);
    if (remaining !== undefined) options.onRateLimitRemaining?.(remaining);
  };
  return (installationId) => (request) =>
    options.upstream.call('installation token', async (signal) => {
      const jwt = await options.appJwt();
      try {
        const response = await octokit.request('POST /app/installations/{installation_id}/access_tokens', {
          // A string, not a number: installation ids are int64 and must not lose digits.
          installation_id: installationId as unknown as number,
          ...(request.repositories === undefined ? {} : { repositories: [...request.repositories] }),
          ...(Object.keys(request.permissions).length === 0 ? {} : { permissions: { ...request.permissions } }),
          headers: { authorization: `Bearer ${jwt}`, 'x-github-api-version': '2022-11-28' },
          request: { signal },
        });
        reportRateLimit(response.headers);
        return { token: response.data.token, expiresAt: response.data.expires_at };
      } catch (error) {
        reportRateLimit(responseHeadersOf(error));
        throw classify(error);
      }
    });
}

/** Maps an HTTP answer from GitHub to our errors; a transport failure passes through. */
function classify(error: unknown): unknown {
  const status = httpStatusOf(error);
  if (status === undefined) return error;
  if (status === 422) {
    return new UpstreamRefusedError('github', 'repositories not accessible to the installation');
  }
  return new UpstreamFailedError('github', 'installation token', `HTTP ${status}`);
}

/** The status of an Octokit error that carries a received response (not a network failure). */
function httpStatusOf(error: unknown): number | undefined {
  if (typeof error !== 'object' || error === null || !('status' in error) || !('response' in error)) return undefined;
  return typeof error.status === 'number' && error.response !== undefined ? error.status : undefined;
}

/** The headers of an Octokit error that carries a received response. */
function responseHeadersOf(error: unknown): Readonly<Record<string, unknown>> | undefined {
  if (typeof error !== 'object' || error === null || !('response' in error)) return undefined;
  const { response } = error;
  if (typeof response !== 'object' || response === null || !('headers' in response)) return undefined;
  const { headers } = response;
  return typeof headers === 'object' && headers !== null ? Object.fromEntries(Object.entries(headers)) : undefined;
}
