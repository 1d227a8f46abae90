import type { FastifyReply } from 'fastify';
import { repositoryForUrl } from '../pipeline/repository-url.js';
import { parseProfileReference, type ProfileFamily } from '../profile/profile-reference.js';
import { isValidRepositoryScope } from '../profile/repository-scope.js';
import { expiresAtMsOf } from '../vending/vendor.js';
import { credentialTarget, formatCredentialResponse, parseCredentialProperties } from './git-credential-format.js';
import { readBodyText } from './request-body.js';
import { profileParamOf, type HandlerDeps, type ProfileRequest } from './token-handler.js';

export interface GitHandlerDeps extends HandlerDeps {
  readonly gitHost: string;
}

/**
 * `POST /git-credentials[/{profile}]` and `POST /organization/git-credentials/{profile}`:
 * git's credential-helper input in, credentials out. No target, or a host other than the
 * git host, gets an empty 200 (git asks its next helper); so does a repository the profile
 * does not cover. A caller-scoped organization profile is scoped to the repository asked about.
 */
export async function handleGitCredentials(
  deps: GitHandlerDeps,
  family: ProfileFamily,
  request: ProfileRequest,
  reply: FastifyReply,
) {
  const { audit, claims } = deps.contexts.authenticated(request);
  const raw = profileParamOf(request);
  if (raw === undefined) return reply.callNotFound();
  if (raw !== '') audit.requestedProfile = raw;

  const target = credentialTarget(parseCredentialProperties(await readBodyText(request.raw)), deps.gitHost);
  if (target.kind !== 'repository') {
    audit.outcome = 'unmatched';
    return noCredentials(reply);
  }
  audit.requestedRepository = target.url;
  const name = repositoryForUrl(target.url, deps.gitHost)?.name;
  const implicit = name !== undefined && isValidRepositoryScope(name) ? name : undefined;
  const resolved = deps.resolveProfile(parseProfileReference(raw, family), claims, { implicit });
  audit.requestedProfile = resolved.urn;

  const result = await deps.vendor({ claims, resolved, requestedRepositoryUrl: target.url, audit });
  if (result.kind === 'unmatched') return noCredentials(reply);
  const { token } = result;
  const body = formatCredentialResponse({
    url: token.repositoryUrl,
    username: 'x-access-token',
    password: token.token,
    passwordExpiryUtc: Math.floor(expiresAtMsOf(token) / 1000),
  });
  return reply.type('text/plain').send(body);
}

function noCredentials(reply: FastifyReply) {
  return reply.type('text/plain').header('content-length', '0').send('');
}
