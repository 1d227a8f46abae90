import { sameLogin } from '../github/account-login.js';
import { repositoryForUrl } from '../pipeline/repository-url.js';
import type { ResolvedProfile } from '../profile/profile-resolver.js';
import type { ProfileToken } from './profile-token.js';

/**
 * The two rules every stage that holds a token applies: whether it may still be served,
 * and whether it covers a repository. Each is written once, here; the memory tier, the
 * shared tier, the fleet lock and the minting stages all call these.
 */

/** Epoch ms at which a token expires (NaN if GitHub's timestamp was unreadable). */
export function expiresAtMsOf(token: Pick<ProfileToken, 'expiry'>): number {
  return parsedTimes(token.expiry);
}

/**
 * `Date.parse`, remembering recent answers: a cached token's expiry is read on every request
 * that serves it (is it servable, what does the audit record say), and is the same string
 * each time. A pure function of the string, so a remembered answer is always the right one.
 */
const parsedTimes = ((): ((text: string) => number) => {
  const remembered = new Map<string, number>();
  return (text) => {
    let ms = remembered.get(text);
    if (ms === undefined) {
      if (remembered.size >= 1024) remembered.clear();
      ms = Date.parse(text);
      remembered.set(text, ms);
    }
    return ms;
  };
})();

/**
 * The first moment a token may no longer be served: from then on less than the minimum
 * lifetime would be left. A store keeps a token until this moment, never after.
 */
export function unservableFromMs(token: Pick<ProfileToken, 'expiry'>, minLifetimeMs: number): number {
  return expiresAtMsOf(token) - minLifetimeMs + 1;
}

/**
 * Whether a token may be served at `nowMs`: at least `minLifetimeMs` of its life is left
 * (exactly the minimum counts). An unreadable expiry is never servable.
 */
export function isServable(token: Pick<ProfileToken, 'expiry'>, nowMs: number, minLifetimeMs: number): boolean {
  return nowMs < unservableFromMs(token, minLifetimeMs);
}

/**
 * Whether a token's reach includes the repository at `repositoryUrl`. A pipeline token
 * covers exactly its pipeline's repository URL; an organization token covers repositories
 * of its profile's owner only (logins compared case-insensitively): every one it names, by
 * name, or all of them. The same name under another owner is never covered.
 */
export function covers(
  token: Pick<ProfileToken, 'repositoryUrl' | 'repositories'>,
  resolved: ResolvedProfile,
  repositoryUrl: string,
  gitHost: string,
): boolean {
  if (resolved.family === 'pipeline') return repositoryUrl === token.repositoryUrl;
  const repository = repositoryForUrl(repositoryUrl, gitHost);
  if (repository === undefined || !sameLogin(repository.owner, resolved.owner)) return false;
  return 'wildcard' in token.repositories || token.repositories.names.includes(repository.name);
}

/**
 * The account whose installation an issued token comes from: the owner of the pipeline's
 * repository, or the organization profile's owner. `undefined` only for a pipeline token
 * whose URL names no repository on the git host (such a token is never minted here).
 */
export function ownerOfIssued(token: Pick<ProfileToken, 'repositoryUrl'>, resolved: ResolvedProfile, gitHost: string): string | undefined {
  return resolved.family === 'pipeline' ? repositoryForUrl(token.repositoryUrl, gitHost)?.owner : resolved.owner;
}
