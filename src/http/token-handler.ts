import type { FastifyReply, FastifyRequest } from 'fastify';
import { RequestInvalidError } from '../errors.js';
import { parseProfileReference, type ProfileFamily } from '../profile/profile-reference.js';
import type { ProfileResolver } from '../profile/profile-resolver.js';
import { isValidRepositoryScope } from '../profile/repository-scope.js';
import type { Vendor } from '../vending/vendor.js';
import type { VendingContexts } from './vending-context.js';

export interface HandlerDeps {
  readonly contexts: VendingContexts;
  readonly resolveProfile: ProfileResolver;
  readonly vendor: Vendor;
}

/** The route generic of the vending routes: an optional `{profile}` segment and the query. */
export interface ProfileRoute {
  Params: { profile?: string };
  Querystring: Record<string, string | string[] | undefined>;
}

export type ProfileRequest = FastifyRequest<ProfileRoute>;

/** The `{profile}` path value; `undefined` when the route has the segment but it is empty. */
export function profileParamOf(request: ProfileRequest): string | undefined {
  const value = request.params.profile;
  if (value === undefined) return '';
  return value === '' ? undefined : value;
}

/**
 * `POST /token[/{profile}]` and `POST /organization/token/{profile}`: the token as
 * Chinmina's JSON. The body is never read. Only the organization route reads
 * `?repository-scope=` (the first one, if repeated); a malformed one is 400.
 */
export async function handleToken(deps: HandlerDeps, family: ProfileFamily, request: ProfileRequest, reply: FastifyReply) {
  const { audit, claims } = deps.contexts.authenticated(request);
  const raw = profileParamOf(request);
  if (raw === undefined) return reply.callNotFound();
  if (raw !== '') audit.requestedProfile = raw;
  const explicit = family === 'organization' ? repositoryScopeOf(request) : undefined;
  const resolved = deps.resolveProfile(parseProfileReference(raw, family), claims, { explicit });
  audit.requestedProfile = resolved.urn;

  const result = await deps.vendor({ claims, resolved, requestedRepositoryUrl: undefined, audit });
  if (result.kind === 'unmatched') return reply.code(204).send();
  return reply.type('application/json').send(JSON.stringify(result.token));
}

function repositoryScopeOf(request: ProfileRequest): string | undefined {
  const value = request.query['repository-scope'];
  const first = Array.isArray(value) ? value[0] : value;
  if (first === undefined) return undefined;
  if (!isValidRepositoryScope(first)) throw new RequestInvalidError('invalid repository-scope');
  return first;
}
