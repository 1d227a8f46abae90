import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import { AuditEntry } from '../audit/audit-entry.js';
import { NotReadyError, RequestInvalidError, toBridgeError } from '../errors.js';
import type { Readiness } from '../lifecycle/readiness.js';
import type { TokenVerifier } from '../oidc/token-verifier.js';
import type { ProfileFamily } from '../profile/profile-reference.js';
import type { Vend } from '../vending/vend.js';
import { authorizationHeaderOf, bearerTokenOf } from './bearer-token.js';
import { clientErrorStatus } from './client-error-status.js';
import { sendError, type RouteFormat } from './error-response.js';
import { handleGitCredentials } from './git-credentials-handler.js';
import { handleToken, rememberedTokenJson, type ProfileRoute } from './token-handler.js';
import type { RequestTracing } from './tracing-hooks.js';
import { auditedRequestOf } from './vending-audit.js';
import type { VendingContexts } from './vending-context.js';

export interface VendingRouteDeps {
  readonly verifyToken: TokenVerifier;
  readonly vend: Vend;
  readonly readiness: Readiness;
  readonly logger: Logger;
  readonly gitHost: string;
  readonly trustedProxyHops: number;
  /** How long a request body may take to arrive once the token is verified. */
  readonly requestBodyTimeoutMs: number;
  /** Stripped from the audited path, as Chinmina records it. */
  readonly basePath: string;
  /** Where each request's audit entry lives until its record is written (vending-audit.ts). */
  readonly contexts: VendingContexts;
  /** Server spans, when tracing is on; the caller's pipeline identity is added to them. */
  readonly tracing?: RequestTracing;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** How the route answers, and so how its errors look. */
    format?: RouteFormat;
  }
}

const routes: readonly [string, ProfileFamily, RouteFormat][] = [
  ['/token', 'pipeline', 'json'],
  ['/token/:profile', 'pipeline', 'json'],
  ['/organization/token/:profile', 'organization', 'json'],
  ['/git-credentials', 'pipeline', 'git'],
  ['/git-credentials/:profile', 'pipeline', 'git'],
  ['/organization/git-credentials/:profile', 'organization', 'git'],
];

/**
 * The vending routes, in their own encapsulated scope: every route registered here, and
 * only these, is audited and authenticated — by where it is registered, not by its URL.
 * Authentication runs in `onRequest`, before any body is read.
 */
export function vendingRoutes(deps: VendingRouteDeps) {
  return async (app: FastifyInstance): Promise<void> => {
    const { contexts } = deps;
    // Content-Type is ignored: bodies are read as raw text by the handlers that use them.
    app.removeAllContentTypeParsers();
    app.addContentTypeParser('*', (_request, _payload, done) => done(null, undefined));

    app.addHook('onRequest', async (request, reply) => {
      // Content-Type is ignored, so a malformed one must not stop the request either.
      delete request.raw.headers['content-type'];
      reply.header('x-request-id', request.id);
      const context = contexts.begin(request, new AuditEntry(auditedRequestOf(request, deps)));
      if (deps.readiness.state !== 'ready') throw new NotReadyError(deps.readiness.state);
      const header = authorizationHeaderOf(request.raw.rawHeaders, request.headers.authorization);
      const claims = await deps.verifyToken(bearerTokenOf(header));
      context.audit.recordClaims(claims);
      deps.tracing?.recordCaller(claims);
      context.claims = claims;
    });

    app.setErrorHandler(async (thrown, request, reply: FastifyReply) => {
      const error = clientErrorStatus(thrown) !== undefined ? new RequestInvalidError('request refused by the HTTP layer') : toBridgeError(thrown);
      contexts.find(request)?.audit.recordFailure(error);
      if (error.code === 'internal') deps.logger.error({ err: thrown, requestId: request.id }, 'request failed');
      if (error.code === 'payload_too_large') reply.header('connection', 'close');
      return sendError(reply, error, formatOf(request));
    });

    const handlers = { json: handleToken, git: handleGitCredentials } as const;
    const handlerDeps = { ...deps, tokenJson: rememberedTokenJson() };
    for (const [url, family, format] of routes) {
      app.post<ProfileRoute>(url, { config: { format } }, (request, reply) => handlers[format](handlerDeps, family, request, reply));
    }
  };
}

const formatOf = (request: FastifyRequest): RouteFormat => (request.routeOptions.config.format === 'git' ? 'git' : 'json');
