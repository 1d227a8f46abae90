import type { Clock } from '../lib/clock.js';
import type { RetryBudgets } from '../lib/retry-budget.js';
import { createFreshValue, type Fresh } from '../lib/fresh-value.js';
import type { InstallationToken, InstallationTokenMinter } from '../github/installation-tokens.js';

/** Hands out an installation token with the installation's own permissions. */
export type InstallationAccess = () => Promise<string>;

/** A token is replaced this long before it expires, so none expires in flight. */
const renewBeforeMs = 5 * 60 * 1000;

/**
 * An installation token for the bridge's own reads (the profile file): every repository
 * and the installation's full permissions, as Chinmina's installation client has. The
 * token is reused until five minutes before its `expiresAt`; concurrent callers share one
 * mint; a failed mint is not remembered, so the next call tries again. Throws what the
 * minter throws. An `expiresAt` that does not parse is treated as already expiring, so
 * such a token is used once and never reused. Each mint retries within a budget of its own
 * from `retryBudget` (none: one attempt).
 */
export function createInstallationAccess(mint: InstallationTokenMinter, clock: Clock, retryBudget?: RetryBudgets): InstallationAccess {
  async function mintToken(): Promise<Fresh<string>> {
    // No repositories and no permissions: GitHub then grants everything the installation has.
    const minted: InstallationToken = await mint({ repositories: undefined, permissions: {} }, retryBudget?.());
    const expiresAtMs = Date.parse(minted.expiresAt);
    return {
      value: minted.token,
      renewAtMs: Number.isNaN(expiresAtMs) ? Number.NEGATIVE_INFINITY : expiresAtMs - renewBeforeMs,
    };
  }

  const token = createFreshValue({ load: mintToken, clock, renewal: 'wait' });
  return () => token.get();
}
