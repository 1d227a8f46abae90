import type { FastifyReply, FastifyRequest } from 'fastify';
import { parseProfileReference } from '../profile/profile-reference.js';
import type { ProfileResolver } from '../profile/profile-resolver.js';
import type { Vendor } from '../vending/vendor.js';
import type { VendingContexts } from './vending-context.js';

export interface HandlerDeps {
  readonly contexts: VendingContexts;
  readonly resolveProfile: ProfileResolver;
  readonly vendor: Vendor;
}

/** The route generic of the vending routes: an optional `{profile}` segment. */
export interface ProfileRoute {
  Params: { profile?: string };
}

export type ProfileRequest = FastifyRequest<ProfileRoute>;

/** The `{profile}` path value; `undefined` when the route has the segment but it is empty. */
export function profileParamOf(request: ProfileRequest): string | undefined {
  const value = request.params.profile;
  if (value === undefined) return '';
  return value === '' ? undefined : value;
}

/** `POST /token[/{profile}]`: the pipeline's token as Chinmina's JSON. The body is never read. */
export async function handleToken(deps: HandlerDeps, request: ProfileRequest, reply: FastifyReply) {
  const { audit, claims } = deps.contexts.authenticated(request);
  const raw = profileParamOf(request);
  if (raw === undefined) return reply.callNotFound();
  if (raw !== '') audit.requestedProfile = raw;
  const resolved = deps.resolveProfile(parseProfileReference(raw, 'pipeline'), claims);
  audit.requestedProfile = resolved.urn;

  const result = await deps.vendor({ claims, resolved, requestedRepositoryUrl: undefined, audit });
  if (result.kind === 'unmatched') return reply.code(204).send();
  return reply.type('application/json').send(JSON.stringify(result.token));
}
