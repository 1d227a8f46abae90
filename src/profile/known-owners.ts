import { loginKey, notServedReason, sameLogin } from '../github/account-login.js';
import type { OrganizationProfile } from './profile.js';

/**
 * The accounts a deployment serves, as a check without GitHub can know them: the logins of
 * `GITHUB_ORGANIZATIONS` and, when told, the default installation's account (the service
 * learns it from GitHub at start-up).
 */
export interface KnownOwners {
  readonly listed: readonly string[];
  readonly defaultOwner?: string;
}

/** What the served-owner check says about one organization profile. */
export type OwnerVerdict =
  | { readonly kind: 'served' }
  /** The service would answer 404 `profile unavailable` with this reason. */
  | { readonly kind: 'unavailable'; readonly reason: string }
  /** Served only if the owner is the default installation's account, which is not known. */
  | { readonly kind: 'unknown'; readonly warning: string };

/**
 * Whether the service, given the same accounts, would serve `profile`: a profile without
 * `owner` is for the default installation's account, always served; an owner is served
 * when listed or equal to the default owner (logins compare case-insensitively).
 */
export function ownerVerdict(profile: OrganizationProfile, known: KnownOwners): OwnerVerdict {
  const { owner } = profile;
  if (owner === undefined || known.listed.some((login) => loginKey(login) === loginKey(owner))) return { kind: 'served' };
  if (known.defaultOwner !== undefined) {
    return sameLogin(known.defaultOwner, owner) ? { kind: 'served' } : { kind: 'unavailable', reason: notServedReason(owner) };
  }
  const warning = `organization profile ${JSON.stringify(profile.name)}: owner ${JSON.stringify(owner)} is not listed, so it is served only if it is the default installation's account (give --default-owner to check)`;
  return { kind: 'unknown', warning };
}
