import { randomUUID } from 'node:crypto';
import { STATUS_CODES } from 'node:http';
import Fastify, { type FastifyInstance, type FastifyReply } from 'fastify';
import { clientErrorStatus } from './http/client-error-status.js';
import { closeConnectionsThatCouldLinger } from './http/connection-close.js';
import { healthRoutes } from './http/health-routes.js';
import { methodNotAllowed } from './http/method-not-allowed.js';
import { httpObservation, observeUnroutableRequest } from './http/http-observation.js';
import { metricsRoutes } from './http/metrics-routes.js';
import { bodyLimitBytes } from './http/request-body.js';
import { watchRequestEnds } from './http/request-end.js';
import { addTracingHooks } from './http/tracing-hooks.js';
import { auditUnroutableVendingRequest } from './http/unroutable-audit.js';
import { auditVendingRequests } from './http/vending-audit.js';
import { VendingContexts } from './http/vending-context.js';
import { vendingRoutes, type VendingRouteDeps } from './http/vending-routes.js';
import type { AuditWriter } from './audit/audit-writer.js';
import type { Observer } from './lib/observer.js';
import type { MetricsSource } from './metrics/metrics-source.js';

export interface AppOptions {
  /** `''` or `/prefix`: every route lives under it, and nothing outside it answers. */
  readonly basePath: string;
  /** Proxies trusted to append to `X-Forwarded-For`; 0 for none. */
  readonly trustedProxyHops: number;
  readonly gitHost: string;
  /** How long a vending request's body may take to arrive (`SERVER_REQUEST_BODY_TIMEOUT_SECS`). */
  readonly requestBodyTimeoutMs: number;
}

export type AppDeps = Omit<VendingRouteDeps, 'gitHost' | 'trustedProxyHops' | 'requestBodyTimeoutMs' | 'basePath' | 'contexts'> & {
  readonly writeAudit: AuditWriter;
  /** Told of every HTTP request and every finished vending request. */
  readonly observer: Observer;
  /** When given, `/metrics` is served beside `/healthcheck` (else it is 404 here). */
  readonly metrics?: MetricsSource;
};

/**
 * The HTTP application: routes and hooks, no I/O of its own. The caller listens (main.ts)
 * or injects requests (tests).
 */
export function buildApp(options: AppOptions, deps: AppDeps): FastifyInstance {
  const app = Fastify({
    logger: false,
    // The forwarded scheme for spans; the audited address is read by source-address.ts.
    trustProxy: (_address: string, hop: number) => hop < options.trustedProxyHops,
    genReqId: () => randomUUID(),
    requestIdHeader: false,
    bodyLimit: bodyLimitBytes,
    routerOptions: { maxParamLength: 1000 },
    forceCloseConnections: 'idle',
    // A client trickling its request cannot hold a connection (or a drain) open for ever.
    requestTimeout: 30_000,
    // Malformed URLs and the like: a plain 400, never fastify's JSON that quotes the URL.
    frameworkErrors: (_error, request, reply) => {
      // The reply here is typed for a route schema there is not; it is an ordinary reply.
      const plainReply = reply as unknown as FastifyReply;
      auditUnroutableVendingRequest({ ...deps, ...options }, request, plainReply, 400);
      void plainReply.code(400).type('text/plain; charset=utf-8').send('Bad Request\n');
      observeUnroutableRequest(deps.observer, request, plainReply);
    },
  });
  app.setErrorHandler(async (error, _request, reply: FastifyReply) => {
    const status = clientErrorStatus(error) ?? 500;
    return reply.code(status).type('text/plain; charset=utf-8').send(`${STATUS_CODES[status] ?? 'Error'}\n`);
  });
  closeConnectionsThatCouldLinger(app, () => deps.readiness.state === 'draining');
  const prefix = options.basePath;
  const contexts = new VendingContexts();
  // First, so that every later hook and handler of a traced request runs inside its span.
  const endSpan = deps.tracing && addTracingHooks(app, deps.tracing, { basePath: prefix, untracedRoutes: ['/healthcheck', '/livez', '/metrics'] });
  const endListeners = [
    endSpan,
    httpObservation({ observer: deps.observer, basePath: prefix }),
    auditVendingRequests({ ...deps, ...options, contexts }),
  ];
  watchRequestEnds(app, endListeners.filter((listener) => listener !== undefined));
  void app.register(vendingRoutes({ ...deps, ...options, contexts }), { prefix });
  void app.register(healthRoutes(deps.readiness), { prefix });
  if (deps.metrics) void app.register(metricsRoutes(deps.metrics), { prefix });
  const post = ['POST'] as const;
  void app.register(
    methodNotAllowed({
      '/token': post,
      '/token/:profile': post,
      '/git-credentials': post,
      '/git-credentials/:profile': post,
      '/organization/token/:profile': post,
      '/organization/git-credentials/:profile': post,
      '/healthcheck': ['GET', 'HEAD'],
      '/livez': ['GET', 'HEAD'],
      ...(deps.metrics && { '/metrics': ['GET', 'HEAD'] as const }),
    }),
    { prefix },
  );
  app.setNotFoundHandler(async (_request, reply) =>
    reply.code(404).type('text/plain; charset=utf-8').send('404 page not found\n'),
  );
  return app;
}
