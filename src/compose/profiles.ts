import { readFile } from 'node:fs/promises';
import type { Logger } from 'pino';
import type { Config } from '../config/load-config.js';
import { OwnerNotServedError } from '../errors.js';
import type { InstallationDirectory } from '../github/installation-directory.js';
import type { InstallationTokenMinter, InstallationTokenMinters } from '../github/installation-tokens.js';
import type { Clock } from '../lib/clock.js';
import type { RetryBudgets } from '../lib/retry-budget.js';
import type { Fetch, Upstream } from '../lib/upstream.js';
import { builtInGeneration } from '../profile/built-in-profiles.js';
import { compileProfileFile } from '../profile/compile-profile-file.js';
import { createGitHubProfileSource } from '../profile/github-profile-source.js';
import { createInstallationAccess } from '../profile/installation-access.js';
import { startProfileRefresh } from '../profile/profile-refresh.js';
import { createFileProfileSource } from '../profile/profile-source.js';
import { createProfileStore } from '../profile/profile-store.js';

type OwnerInstallations = Pick<InstallationDirectory, 'installationFor' | 'defaultAccountKnown' | 'accountName'>;

/**
 * The profile store: the built-in generation without a profile file; otherwise empty until
 * the first load of the file, refreshed in the background. An instance never vends before
 * its first load: the readiness gate waits for `profilesLoaded`. A file in GitHub is read
 * through the installation of its repository's owner, which must be served.
 */
export function startProfiles(
  config: Config,
  parts: {
    clock: Clock;
    logger: Logger;
    fetch: Fetch;
    upstream: Upstream;
    installations: OwnerInstallations;
    mint: InstallationTokenMinters;
    /** A budget per mint of the reading token, and per read of the file. */
    retryBudget: RetryBudgets;
    /** GitHub's rate-limit headroom on the profile file's answers: the budget of the installation on `account`. */
    onRateLimitRemaining: (remaining: number, account: string) => void;
  },
) {
  const { location } = config.profiles;
  if (location === undefined) {
    return { store: createProfileStore(builtInGeneration()), profilesLoaded: Promise.resolve(), stop: () => undefined };
  }
  const store = createProfileStore();
  const source =
    location.kind === 'file'
      ? createFileProfileSource(location.path, (path) => readFile(path, 'utf8'))
      : createGitHubProfileSource({
          ...location,
          apiUrl: config.github.apiUrl,
          installationToken: createInstallationAccess(ownerMinter(location.owner, parts), parts.clock, parts.retryBudget),
          fetch: parts.fetch,
          upstream: parts.upstream,
          retryBudget: parts.retryBudget,
          onRateLimitRemaining: (remaining) => parts.onRateLimitRemaining(remaining, parts.installations.accountName(location.owner)),
        });
  const refresh = startProfileRefresh({
    source,
    compile: compileProfileFile,
    store,
    clock: parts.clock,
    intervalMs: config.profiles.refreshIntervalMs,
    logger: parts.logger,
  });
  return { store, profilesLoaded: refresh.firstLoad, stop: () => refresh.stop() };
}

/**
 * Mints on the installation of `owner`, once the default installation's account is known
 * (the owner is most often that account: reading earlier would only fail); an owner not
 * served fails the read (logged, retried).
 */
function ownerMinter(owner: string, parts: { installations: OwnerInstallations; mint: InstallationTokenMinters }): InstallationTokenMinter {
  return async (request, budget) => {
    await parts.installations.defaultAccountKnown;
    const found = await parts.installations.installationFor(owner, budget);
    if (!found.served) throw new OwnerNotServedError(owner, found.reason);
    return parts.mint(found.installation.id)(request, budget);
  };
}
