import { repositoryForUrl } from '../pipeline/repository-url.js';
import type { ResolvedProfile } from '../profile/profile-resolver.js';
import type { ProfileToken } from './vendor.js';

/**
 * The cached token as this request should get it, or `undefined` when it does not cover the
 * requested repository. A pipeline token covers exactly the pipeline's repository. An
 * organization token is shared by every pipeline the rules admit, so its `repositoryUrl`
 * is this request's: the URL git asked about, or empty on `/organization/token`.
 */
export function servedFromCache(
  token: ProfileToken,
  resolved: ResolvedProfile,
  requested: string | undefined,
  gitHost: string,
): ProfileToken | undefined {
  if (resolved.family === 'pipeline') {
    return requested === undefined || requested === token.repositoryUrl ? token : undefined;
  }
  if (requested === undefined) return { ...token, repositoryUrl: '' };
  const covered =
    'wildcard' in token.repositories ||
    token.repositories.names.includes(repositoryForUrl(requested, gitHost)?.name ?? '\0');
  return covered ? { ...token, repositoryUrl: requested } : undefined;
}
