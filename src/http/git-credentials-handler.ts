import type { FastifyReply } from 'fastify';
import type { ProfileFamily } from '../profile/profile-reference.js';
import { expiresAtMsOf } from '../vending/token-rules.js';
import { credentialTarget, formatCredentialResponse, parseCredentialProperties } from './git-credential-format.js';
import { readBodyText } from './request-body.js';
import { profileParamOf, type HandlerDeps, type ProfileRequest } from './token-handler.js';

/**
 * `POST /git-credentials[/{profile}]` and `POST /organization/git-credentials/{profile}`:
 * git's credential-helper input in, credentials out. No target, or a host other than the
 * git host, gets an empty 200 (git asks its next helper); so does a repository the profile
 * does not cover. A caller-scoped organization profile is scoped to the repository asked about.
 */
export async function handleGitCredentials(deps: HandlerDeps, family: ProfileFamily, request: ProfileRequest, reply: FastifyReply) {
  const profile = profileParamOf(request);
  if (profile === undefined) return reply.callNotFound();
  const requestedRepository = async () => {
    const target = credentialTarget(parseCredentialProperties(await readBodyText(request.raw, { timeoutMs: deps.requestBodyTimeoutMs })), deps.gitHost);
    return target.kind === 'repository' ? target.url : undefined;
  };
  const result = await deps.vend({ ...deps.contexts.authenticated(request), family, profile, requestedRepository });
  if (result.kind === 'unmatched') return reply.type('text/plain').header('content-length', '0').send('');
  const { token } = result;
  const passwordExpiryUtc = Math.floor(expiresAtMsOf(token) / 1000);
  const body = formatCredentialResponse({ url: token.repositoryUrl, username: 'x-access-token', password: token.token, passwordExpiryUtc });
  return reply.type('text/plain').send(body);
}
