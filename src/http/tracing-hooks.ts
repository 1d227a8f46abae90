import type { IncomingHttpHeaders } from 'node:http';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { BuildkiteClaims } from '../oidc/buildkite-claims.js';
import type { RequestEndListener } from './request-end.js';
import { requestPathOf } from './request-path.js';
import { bracedRoute, routeTemplateOf, unmatchedRoute } from './route-template.js';

/** What the HTTP layer tells the tracer about a request, in its own terms. */
export interface TracedRequest {
  readonly method: string;
  /** The route template without the base path, in `{param}` form: `/token/{profile}`. */
  readonly route: string;
  /** The path as requested, without the query string. */
  readonly path: string;
  readonly scheme: string;
  readonly requestId: string;
  readonly userAgent: string | undefined;
  /** The incoming headers, read only by the propagators (`traceparent`, `tracestate`, `baggage`). */
  readonly headers: IncomingHttpHeaders;
}

/** The server span of one request. */
export interface ServerSpan {
  /** Calls `next` with this span active: the rest of the request, handler included, runs inside it. */
  activate(next: () => void): void;
  /** Ends the span with the answered status; `undefined` when the client hung up first. Idempotent. */
  end(statusCode: number | undefined): void;
}

/**
 * Server-side tracing, as the HTTP layer needs it. Implemented by `telemetry/` and given
 * only when tracing is on, so the HTTP layer never loads a tracing library itself.
 */
export interface RequestTracing {
  /** Starts the SERVER span of a request, continuing the caller's trace when it sent one. */
  startRequest(request: TracedRequest): ServerSpan;
  /**
   * Adds the verified caller's pipeline identity to the current request's span. Only the
   * claims listed by the implementation are recorded; the OIDC token itself never is.
   */
  recordCaller(claims: BuildkiteClaims): void;
}

export interface TracingHookOptions {
  /** `''` or `/prefix`: stripped from the route, so span names do not depend on the deployment. */
  readonly basePath: string;
  /** Routes (without the base path) that get no span: health and metrics probes. */
  readonly untracedRoutes: readonly string[];
}

/**
 * The route `config` of a route whose requests get no span whatever its path: the 405
 * answers on known paths, which never reach a vending handler. A fresh object per route,
 * so no two routes share one.
 */
export function untracedRouteConfig(): { readonly traced: false } {
  return { traced: false };
}

/**
 * Adds a SERVER span to every request on a route, except the untraced ones (by template or
 * by {@link untracedRouteConfig}) and URLs no route serves. The hook is added to `app`
 * itself, not to an encapsulated child, so it runs before every route's own hooks and the
 * whole request runs inside the span's context. The returned listener ends the span when
 * the request ends (without a status for a client that hung up).
 */
export function addTracingHooks(app: FastifyInstance, tracing: RequestTracing, options: TracingHookOptions): RequestEndListener {
  const spans = new WeakMap<FastifyRequest, ServerSpan>();
  const untraced = new Set(options.untracedRoutes);

  app.addHook('onRequest', (request, _reply, done) => {
    const route = routeTemplateOf(request, options.basePath);
    if (route === unmatchedRoute || untraced.has(route) || !isTraced(request.routeOptions.config)) {
      done();
      return;
    }
    const span = tracing.startRequest({
      method: request.method,
      route: bracedRoute(route),
      path: requestPathOf(request),
      scheme: request.protocol,
      requestId: request.id,
      userAgent: request.headers['user-agent'],
      headers: request.headers,
    });
    spans.set(request, span);
    span.activate(done);
  });

  return (request, _reply, end) => spans.get(request)?.end(end.clientClosed ? undefined : end.status);
}

function isTraced(config: object): boolean {
  return !('traced' in config && config.traced === false);
}
