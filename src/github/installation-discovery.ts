import { z } from 'zod';
import { UpstreamFailedError } from '../errors.js';
import { createRateLimitGate } from '../lib/rate-limit-gate.js';
import type { RetryBudget } from '../lib/retry-budget.js';
import { readJson } from '../lib/upstream.js';
import { gitHubFailure } from './github-failure.js';
import type { GitHubAppClientOptions } from './installation-tokens.js';
import { getFromGitHub } from './github-get.js';

/** An installation of the App: its id and the login of the account it is installed on. */
export interface Installation {
  readonly id: string;
  /** The account's login as GitHub spells it. */
  readonly account: string;
}

/** GitHub's answers about installations, asked with the App JWT. */
export interface InstallationDiscovery {
  /** `GET /app/installations/{id}`. Throws UpstreamFailedError for any answer but 200, 404 included. */
  installation(id: string): Promise<Installation>;
  /**
   * `GET /orgs/{login}/installation`, then on 404 `GET /users/{login}/installation`;
   * `undefined` when both answer 404. Throws UpstreamFailedError for any other failure,
   * UpstreamRateLimitedError while the App's limit is spent. Retries within `budget`.
   */
  installationOf(login: string, budget?: RetryBudget): Promise<Installation | undefined>;
}

export type InstallationDiscoveryOptions = GitHubAppClientOptions;

const installationSchema = z.object({
  // JSON numbers: an id beyond 2^53 would have lost digits already, so it is refused.
  id: z.number().refine(Number.isSafeInteger).refine((id) => id > 0),
  account: z.object({ login: z.string().min(1) }),
});

/** Reads installations with App JWT authentication, each call under the upstream's deadline. */
export function createInstallationDiscovery(options: InstallationDiscoveryOptions): InstallationDiscovery {
  const base = options.apiUrl.replace(/\/+$/, '');
  const gate = options.appRateLimit ?? createRateLimitGate();
  const get = (operation: string, path: string, budget?: RetryBudget) =>
    options.upstream.call(operation, async (signal) => {
      const authorization = `Bearer ${await options.appJwt()}`;
      const response = await getFromGitHub({ ...options, url: `${base}${path}`, authorization, signal });
      if (response.status === 404) {
        await response.body?.cancel();
        return undefined;
      }
      if (response.status !== 200) {
        await response.body?.cancel();
        throw gitHubFailure(operation, response);
      }
      const body = await readJson(response);
      const parsed = installationSchema.safeParse(body);
      if (!parsed.success) throw new UpstreamFailedError('github', operation, 'answer is not an installation');
      return { id: String(parsed.data.id), account: parsed.data.account.login };
    }, { budget, gate });
  return {
    async installation(id) {
      const found = await get('installation lookup', `/app/installations/${encodeURIComponent(id)}`);
      if (found === undefined) throw new UpstreamFailedError('github', 'installation lookup', `HTTP 404: no installation ${id} of this App`);
      return found;
    },
    async installationOf(login, budget) {
      const account = encodeURIComponent(login);
      return (
        (await get('installation discovery', `/orgs/${account}/installation`, budget)) ??
        (await get('installation discovery', `/users/${account}/installation`, budget))
      );
    },
  };
}
