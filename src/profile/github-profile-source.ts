import { UpstreamFailedError } from '../errors.js';
import { gitHubFailure } from '../github/github-failure.js';
import { getFromGitHub } from '../github/github-get.js';
import { createRateLimitGate } from '../lib/rate-limit-gate.js';
import type { RetryBudgets } from '../lib/retry-budget.js';
import { readJson, type Fetch, type Upstream } from '../lib/upstream.js';
import type { ProfileSource } from './profile-source.js';

export interface GitHubProfileSourceOptions {
  /** `https://api.github.com`, or `https://HOST/api/v3` for GitHub Enterprise Server. */
  readonly apiUrl: string;
  readonly owner: string;
  readonly repo: string;
  /** The file's path in the repository, without a leading `/`. */
  readonly path: string;
  /** An installation token that may read the repository (see `createInstallationAccess`). */
  readonly installationToken: () => Promise<string>;
  readonly fetch: Fetch;
  readonly upstream: Upstream;
  /** A budget per read, within which a failed or rate-limited read is tried again; none: one attempt. */
  readonly retryBudget?: RetryBudgets;
  /** Told GitHub's `x-ratelimit-remaining` (the installation's budget) on every answer that has one. */
  readonly onRateLimitRemaining?: (remaining: number) => void;
}

const operation = 'profile file';

/**
 * The profile file in a GitHub repository (`github:<owner>/<repo>/<path>`), read through
 * `GET /repos/{owner}/{repo}/contents/{path}` on the default branch, as Chinmina reads
 * `GITHUB_ORG_PROFILE`. Every failure is an {@link UpstreamFailedError}: an HTTP error
 * (`HTTP <status>`), a directory, a symlink or submodule, no content, or a file too large
 * for the contents API (over 1 MB, `encoding: none`); except a spent rate limit of the
 * installation, UpstreamRateLimitedError, after which no read is made until its reset.
 * Neither the token nor GitHub's message appears in an error.
 */
export function createGitHubProfileSource(options: GitHubProfileSourceOptions): ProfileSource {
  const { owner, repo, path, upstream } = options;
  const encodedPath = path.split('/').map(encodeURIComponent).join('/');
  const url = `${options.apiUrl.replace(/\/+$/, '')}/repos/${encodeURIComponent(owner)}/${encodeURIComponent(repo)}/contents/${encodedPath}`;
  const subject = `path ${path} in repo ${owner}/${repo}`;
  const fail = (detail: string) => new UpstreamFailedError(upstream.name, operation, detail);
  // Reads with an installation token spend that installation's limit, not the App's.
  const gate = createRateLimitGate();

  return {
    location: `github:${owner}/${repo}/${path}`,
    async read() {
      // Outside the call: minting has its own deadline, the file read gets a whole one.
      const token = await options.installationToken();
      const read = async (signal: AbortSignal) => {
        const response = await getFromGitHub({ ...options, url, authorization: `Bearer ${token}`, signal });
        if (response.status !== 200) {
          await response.body?.cancel();
          throw gitHubFailure(operation, response);
        }
        return readJson(response);
      };
      const body = await upstream.call(operation, read, { budget: options.retryBudget?.(), gate });
      return decodeFile(body, subject, fail);
    },
  };
}

/** The text of a contents API answer for a file; throws for anything else. */
function decodeFile(body: unknown, subject: string, fail: (detail: string) => Error): string {
  // GitHub answers a directory with the list of its entries.
  if (Array.isArray(body)) throw fail(`${subject} is a directory, expected a file`);
  if (typeof body !== 'object' || body === null) throw fail(`${subject} returned no content`);
  const fields = new Map<string, unknown>(Object.entries(body));
  const type = fields.get('type');
  if (type === 'dir') throw fail(`${subject} is a directory, expected a file`);
  if (typeof type === 'string' && type !== 'file') throw fail(`${subject} is a ${type}, expected a file`);
  const content = fields.get('content');
  const encoding = fields.get('encoding');
  // Files over 1 MB come back with encoding "none" and no content: refuse, never serve "".
  if (encoding === 'none') throw fail(`${subject} is too large for the contents API (over 1 MB)`);
  if (type !== 'file' || typeof content !== 'string') throw fail(`${subject} returned no content`);
  if (encoding !== 'base64') throw fail(`${subject} has an unsupported content encoding`);
  // Node's base64 decoder skips the newlines GitHub puts every 60 characters.
  return Buffer.from(content, 'base64').toString('utf8');
}
