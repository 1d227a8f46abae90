import { z } from 'zod';
import type { InstallationToken } from '../github/installation-tokens.js';
import { hashToken } from '../lib/hash.js';

/**
 * A vended token as the `/token` routes answer it and as the cache stores it: Chinmina's
 * ProfileToken JSON, so a shared cache tier can serve a Go fleet too. The schema reads
 * values back from a shared tier, where anything may have been written.
 */
export const profileTokenSchema = z.object({
  organizationSlug: z.string(),
  profile: z.string(),
  repositoryUrl: z.string(),
  repositories: z.union([z.object({ names: z.array(z.string()).readonly() }).readonly(), z.object({ wildcard: z.literal(true) }).readonly()]),
  permissions: z.array(z.string()).readonly(),
  token: z.string().min(1),
  hashedToken: z.string(),
  /** RFC 3339, as GitHub's `expires_at`. */
  expiry: z.string(),
}).readonly();

export type ProfileToken = z.infer<typeof profileTokenSchema>;

/** The repositories a token covers, as Chinmina's JSON encodes them. */
export type RepositoryScope = ProfileToken['repositories'];

/** A stored value read back as a token, or `undefined` when it is not one. */
export function parseProfileToken(json: string): ProfileToken | undefined {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    return undefined;
  }
  const parsed = profileTokenSchema.safeParse(value);
  return parsed.success ? parsed.data : undefined;
}

/** What GitHub minted, and for what: the parts of a {@link ProfileToken} a minting stage knows. */
export interface IssuedTokenParts {
  readonly organizationSlug: string;
  /** The resolved profile's short reference, e.g. `repo:default`. */
  readonly profile: string;
  readonly repositoryUrl: string;
  readonly repositories: RepositoryScope;
  /** The permissions as the profile lists them (always with `metadata:read`). */
  readonly permissions: readonly string[];
  readonly minted: InstallationToken;
}

/** The one way a minted token becomes a {@link ProfileToken}: its hash is taken here. */
export function profileTokenOf(parts: IssuedTokenParts): ProfileToken {
  const { minted } = parts;
  return {
    organizationSlug: parts.organizationSlug,
    profile: parts.profile,
    repositoryUrl: parts.repositoryUrl,
    repositories: parts.repositories,
    permissions: parts.permissions,
    token: minted.token,
    hashedToken: hashToken(minted.token),
    expiry: minted.expiresAt,
  };
}
