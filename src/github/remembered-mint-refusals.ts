import { UpstreamRefusedError } from '../errors.js';
import type { Clock } from '../lib/clock.js';
import { createFailureMemory } from '../lib/failure-memory.js';
import type { InstallationTokenMinter, InstallationTokenMinters, MintRequest } from './installation-tokens.js';

export interface RememberedMintOptions {
  readonly clock: Clock;
  /** How long a refused mint is answered again without asking GitHub. */
  readonly rememberMs: number;
}

/**
 * The minters, one call per identical mint at a time, with a refusal (GitHub's 422: a
 * repository the installation cannot reach) remembered for `rememberMs` per installation
 * and request: a caller-scoped repository GitHub refuses costs one mint per window, not
 * one per request. Other failures are not remembered. Every argument is passed on.
 */
export function rememberMintRefusals(mint: InstallationTokenMinters, options: RememberedMintOptions): InstallationTokenMinters {
  const memory = createFailureMemory<Awaited<ReturnType<InstallationTokenMinter>>>({
    ...options,
    isRemembered: (error) => error instanceof UpstreamRefusedError,
  });
  return (...outer: Parameters<InstallationTokenMinters>) => {
    const minter = mint(...outer);
    const [installationId] = outer;
    return (...args: Parameters<InstallationTokenMinter>) => memory.run(mintKeyOf(installationId, args[0]), () => minter(...args));
  };
}

/** Everything that decides GitHub's answer to a mint: the installation, repositories and permissions. */
export function mintKeyOf(installationId: string, request: MintRequest): string {
  const repositories = request.repositories === undefined ? null : [...request.repositories].sort();
  const permissions = Object.entries(request.permissions).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return JSON.stringify([installationId, repositories, permissions]);
}
