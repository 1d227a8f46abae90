import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ProfileFamily } from '../profile/profile-reference.js';
import type { Vend } from '../vending/vend.js';
import type { ProfileToken } from '../vending/vendor.js';
import type { VendingContexts } from './vending-context.js';

export interface HandlerDeps {
  readonly contexts: VendingContexts;
  readonly vend: Vend;
  readonly gitHost: string;
  /** How long git's credential request may take to arrive. */
  readonly requestBodyTimeoutMs: number;
  /** The JSON answer of `/token` routes (see {@link rememberedTokenJson}). */
  readonly tokenJson: (token: ProfileToken) => string;
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
 * `?repository-scope=` (the first one, if repeated).
 */
export async function handleToken(deps: HandlerDeps, family: ProfileFamily, request: ProfileRequest, reply: FastifyReply) {
  const profile = profileParamOf(request);
  if (profile === undefined) return reply.callNotFound();
  const scope = request.query['repository-scope'];
  const explicitScope = family === 'organization' ? (Array.isArray(scope) ? scope[0] : scope) : undefined;
  const { audit, claims } = deps.contexts.authenticated(request);
  // One object literal of one shape per call, not a spread: this runs on every cached request.
  const result = await deps.vend({ audit, claims, family, profile, explicitScope });
  if (result.kind === 'unmatched') return reply.code(204).send();
  return reply.type('application/json').send(deps.tokenJson(result.token));
}

/**
 * A token's JSON answer, remembered per token object: a cached pipeline token is the same
 * object request after request, so it is serialized once.
 */
export function rememberedTokenJson(): (token: ProfileToken) => string {
  const remembered = new WeakMap<ProfileToken, string>();
  return (token) => {
    let json = remembered.get(token);
    if (json === undefined) {
      json = JSON.stringify(token);
      remembered.set(token, json);
    }
    return json;
  };
}
