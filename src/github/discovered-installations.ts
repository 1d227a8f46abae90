import type { Logger } from 'pino';
import type { Clock } from '../lib/clock.js';
import type { RetryBudget } from '../lib/retry-budget.js';
import { createSingleFlight } from '../lib/single-flight.js';
import { loginKey } from './account-login.js';
import type { Installation, InstallationDiscovery } from './installation-discovery.js';

/** How long a found installation is remembered. */
export const foundTtlMs = 60 * 60 * 1000;
/** How long "no installation" is remembered. */
export const notFoundTtlMs = 5 * 60 * 1000;

/** Installations found by login, remembered for a while. */
export interface DiscoveredInstallations {
  /**
   * The installation on `login`'s account, or `undefined` when the App has none. Throws
   * discovery failures. A discovery already in flight is joined, with the budget it has.
   */
  find(login: string, budget?: RetryBudget): Promise<Installation | undefined>;
  /** The installation remembered now for `login`, without asking GitHub. */
  remembered(login: string): Installation | undefined;
}

/**
 * Discovery with memory: a found installation is remembered for an hour, "none" for five
 * minutes (the App may be installed meanwhile); a failure is not remembered. Concurrent
 * finds of one login (in any case) share one discovery.
 */
export function createDiscoveredInstallations(discovery: InstallationDiscovery, clock: Clock, logger: Logger): DiscoveredInstallations {
  const memory = new Map<string, { installation: Installation | undefined; untilMs: number }>();
  const inFlight = createSingleFlight<Installation | undefined>();
  const current = (key: string) => {
    const entry = memory.get(key);
    return entry !== undefined && clock.nowMs() < entry.untilMs ? entry : undefined;
  };
  return {
    async find(login, budget) {
      const key = loginKey(login);
      const entry = current(key);
      if (entry !== undefined) return entry.installation;
      return inFlight.run(key, async () => {
        const installation = await discovery.installationOf(login, budget);
        memory.set(key, { installation, untilMs: clock.nowMs() + (installation === undefined ? notFoundTtlMs : foundTtlMs) });
        if (installation === undefined) logger.warn({ login }, 'no installation of the App on the account');
        else logger.info({ login, installationId: installation.id }, 'installation discovered');
        return installation;
      });
    },
    remembered: (login) => current(loginKey(login))?.installation,
  };
}
