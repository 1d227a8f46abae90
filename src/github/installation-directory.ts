import type { Logger } from 'pino';
import { NotReadyError } from '../errors.js';
import type { Clock } from '../lib/clock.js';
import type { RetryBudget } from '../lib/retry-budget.js';
import type { Timers } from '../lib/timers.js';
import { loginKey, notServedReason, sameLogin } from './account-login.js';
import { learnDefaultInstallation } from './default-installation.js';
import { createDiscoveredInstallations } from './discovered-installations.js';
import type { Installation, InstallationDiscovery } from './installation-discovery.js';

/** A further account served: pinned to an installation, or discovered when first needed. */
export interface ServedAccount {
  readonly login: string;
  readonly installationId?: string;
}

/** The installation a repository owner's tokens are minted from, or why there is none. */
export type OwnerInstallation =
  | { readonly served: true; readonly installation: Installation }
  | { readonly served: false; readonly reason: string };

/** Which installation serves which repository owner. */
export interface InstallationDirectory {
  /** Resolves once the default installation's account is known (the instance is not ready before). */
  readonly defaultAccountKnown: Promise<void>;
  /** The default installation's account, once known. */
  defaultAccount(): string | undefined;
  /**
   * Whether `owner` is served: the default installation's account or a listed one (whether
   * a listed login really has an installation is only known by {@link installationFor}).
   * Throws NotReadyError for an unlisted owner while the default account is unknown.
   */
  serves(owner: string): boolean;
  /**
   * The installation for `owner`'s repositories: the default one, a pinned one, or one
   * discovered (see discovered-installations.ts). Never asks GitHub about an owner that is
   * not served. Throws NotReadyError as {@link serves}, and discovery's upstream errors;
   * discovery retries within `budget`.
   */
  installationFor(owner: string, budget?: RetryBudget): Promise<OwnerInstallation>;
  /** `owner` as the account's login is known here (GitHub's spelling when learned), else as given. */
  accountName(owner: string): string;
  /** Stops learning the default account. */
  stop(): void;
}

export interface InstallationDirectoryOptions {
  readonly defaultInstallationId: string;
  readonly accounts: readonly ServedAccount[];
  readonly discovery: InstallationDiscovery;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly timers?: Timers;
  /** The jitter of the default installation's retries (see default-installation.ts). */
  readonly random?: () => number;
}

/**
 * The default installation (its account learned at start-up, in the background) and the
 * further accounts served. Logins compare case-insensitively; the default installation
 * wins for its own account even when that account is also listed.
 */
export function createInstallationDirectory(options: InstallationDirectoryOptions): InstallationDirectory {
  const { logger } = options;
  const defaultInstallation = learnDefaultInstallation({
    id: options.defaultInstallationId,
    discovery: options.discovery,
    logger,
    ...(options.timers && { timers: options.timers }),
    ...(options.random && { random: options.random }),
  });
  const discovered = createDiscoveredInstallations(options.discovery, options.clock, logger);
  const listed = new Map(options.accounts.map((account) => [loginKey(account.login), account]));
  /** The default account when `owner` is it; throws NotReadyError when that cannot be told yet. */
  const defaultAccountAs = (owner: string): string | undefined => {
    const account = defaultInstallation.account();
    if (account !== undefined) return sameLogin(account, owner) ? account : undefined;
    if (listed.has(loginKey(owner))) return undefined;
    throw new NotReadyError('starting: the default installation account is not known yet');
  };

  return {
    defaultAccountKnown: defaultInstallation.known,
    defaultAccount: () => defaultInstallation.account(),
    serves: (owner) => defaultAccountAs(owner) !== undefined || listed.has(loginKey(owner)),
    async installationFor(owner, budget) {
      const account = defaultAccountAs(owner);
      if (account !== undefined) return { served: true, installation: { id: defaultInstallation.id, account } };
      const entry = listed.get(loginKey(owner));
      if (entry === undefined) return { served: false, reason: notServedReason(owner) };
      if (entry.installationId !== undefined) return { served: true, installation: { id: entry.installationId, account: entry.login } };
      const installation = await discovered.find(entry.login, budget);
      if (installation !== undefined) return { served: true, installation };
      return { served: false, reason: `the App has no installation on the account ${JSON.stringify(entry.login)}` };
    },
    accountName(owner) {
      const account = defaultInstallation.account();
      if (account !== undefined && sameLogin(account, owner)) return account;
      const entry = listed.get(loginKey(owner));
      if (entry === undefined) return owner;
      return entry.installationId === undefined ? (discovered.remembered(entry.login)?.account ?? entry.login) : entry.login;
    },
    stop: () => defaultInstallation.stop(),
  };
}
