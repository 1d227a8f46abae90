import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import { AuditEntry } from '../audit/audit-entry.js';
import type { AuditWriter } from '../audit/audit-writer.js';
import { NotReadyError, RequestInvalidError, toBridgeError } from '../errors.js';
import { clientErrorStatus } from './client-error-status.js';
import type { Readiness } from '../lifecycle/readiness.js';
import type { TokenVerifier } from '../oidc/token-verifier.js';
import type { ProfileResolver } from '../profile/profile-resolver.js';
import type { Vendor } from '../vending/vendor.js';
import { authorizationHeaderOf, bearerTokenOf } from './bearer-token.js';
import { sendError, type RouteFormat } from './error-response.js';
import { handleGitCredentials } from './git-credentials-handler.js';
import { handleToken, type ProfileRoute } from './token-handler.js';
import { VendingContexts, type VendingContext } from './vending-context.js';
import type { ProfileFamily } from '../profile/profile-reference.js';
import type { RequestTracing } from './tracing-hooks.js';
import type { Observer } from '../lib/observer.js';
import { clientClosedStatus } from './metrics-request-hooks.js';
import { routeTemplateOf } from './route-template.js';
import { vendObservationOf } from './metrics-vend-observation.js';

export interface VendingRouteDeps {
  readonly verifyToken: TokenVerifier;
  readonly resolveProfile: ProfileResolver;
  readonly vendor: Vendor;
  readonly readiness: Readiness;
  readonly writeAudit: AuditWriter;
  readonly logger: Logger;
  readonly gitHost: string;
  readonly trustProxy: boolean;
  /** Stripped from the audited path, as Chinmina records it. */
  readonly basePath: string;
  /** Told of every finished vending request (see {@link vendObservationOf}). */
  readonly observer: Observer;
  /** Server spans, when tracing is on; the caller's pipeline identity is added to them. */
  readonly tracing?: RequestTracing;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** How the route answers, and so how its errors look. */
    format?: RouteFormat;
  }
}

const formatOf = (request: FastifyRequest): RouteFormat =>
  request.routeOptions.config.format === 'git' ? 'git' : 'json';

/**
 * The vending routes, in their own encapsulated scope: every route registered here, and
 * only these, is audited and authenticated — by where it is registered, not by its URL.
 * Authentication runs in `onRequest`, before any body is read.
 */
export function vendingRoutes(deps: VendingRouteDeps) {
  return async (app: FastifyInstance): Promise<void> => {
    const contexts = new VendingContexts();

    // Content-Type is ignored: bodies are read as raw text by the handlers that use them.
    app.removeAllContentTypeParsers();
    app.addContentTypeParser('*', (_request, _payload, done) => done(null, undefined));

    /**
     * Writes the request's audit record once, on the response or when the client hung up
     * first, and reports the request to the observer at the same moment.
     */
    const writeAudit = (request: FastifyRequest, context: VendingContext, status: number) => {
      if (context.auditWritten) return;
      context.auditWritten = true;
      context.audit.outcome ??= status >= 500 ? 'failed' : status >= 400 ? 'denied' : 'issued';
      deps.writeAudit(context.audit, status);
      deps.observer.vend(vendObservationOf(routeTemplateOf(request, deps.basePath), context.audit, status));
    };

    app.addHook('onRequest', async (request, reply) => {
      // Content-Type is ignored, so a malformed one must not stop the request either.
      delete request.raw.headers['content-type'];
      reply.header('x-request-id', request.id);
      const context = contexts.begin(request, new AuditEntry(requestInfo(request, deps)));
      // fastify runs no onResponse for a client that hung up; its record is written here.
      reply.raw.once('close', () => {
        if (reply.raw.writableFinished) return;
        context.audit.recordError('client closed the connection before the response');
        context.audit.outcome ??= 'failed';
        writeAudit(request, context, clientClosedStatus);
      });
      if (deps.readiness.state !== 'ready') throw new NotReadyError(deps.readiness.state);
      const header = authorizationHeaderOf(request.raw.rawHeaders, request.headers.authorization);
      const claims = await deps.verifyToken(bearerTokenOf(header));
      context.audit.recordClaims(claims);
      deps.tracing?.recordCaller(claims);
      context.claims = claims;
    });

    app.addHook('onResponse', async (request, reply) => {
      const context = contexts.find(request);
      if (context !== undefined) writeAudit(request, context, reply.statusCode);
    });

    app.setErrorHandler(async (thrown, request, reply: FastifyReply) => {
      const error = clientErrorStatus(thrown) !== undefined ? new RequestInvalidError('request refused by the HTTP layer') : toBridgeError(thrown);
      const audit = contexts.find(request)?.audit;
      if (audit) {
        audit.recordError(error.message);
        audit.errorCode ??= error.code;
        audit.outcome = error.response.outcome;
      }
      if (error.code === 'internal') deps.logger.error({ err: thrown, requestId: request.id }, 'request failed');
      if (error.code === 'payload_too_large') reply.header('connection', 'close');
      return sendError(reply, error, formatOf(request));
    });

    const handlerDeps = { ...deps, contexts };
    const handlers = { json: handleToken, git: handleGitCredentials } as const;
    const routes: readonly [string, ProfileFamily, RouteFormat][] = [
      ['/token', 'pipeline', 'json'],
      ['/token/:profile', 'pipeline', 'json'],
      ['/organization/token/:profile', 'organization', 'json'],
      ['/git-credentials', 'pipeline', 'git'],
      ['/git-credentials/:profile', 'pipeline', 'git'],
      ['/organization/git-credentials/:profile', 'organization', 'git'],
    ];
    for (const [url, family, format] of routes) {
      app.post<ProfileRoute>(url, { config: { format } }, (request, reply) =>
        handlers[format](handlerDeps, family, request, reply),
      );
    }
  };
}

function requestInfo(request: FastifyRequest, deps: VendingRouteDeps) {
  const { socket } = request.raw;
  const path = request.url.split('?')[0] ?? request.url;
  return {
    requestId: request.id,
    method: request.method,
    path: path.slice(deps.basePath.length) || '/',
    sourceIP: deps.trustProxy || socket.remotePort === undefined ? request.ip : `${request.ip}:${socket.remotePort}`,
    userAgent: request.headers['user-agent'] ?? '',
  };
}
