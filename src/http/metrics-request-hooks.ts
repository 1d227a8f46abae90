import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { silentObserver, type Observer } from '../lib/observer.js';
import { routeTemplateOf, unmatchedRoute } from './route-template.js';

const knownMethods = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);

/** Status recorded for a request whose client hung up before the answer was sent. */
export const clientClosedStatus = 499;

export interface HttpObservationOptions {
  readonly observer: Observer;
  /** Stripped from route templates, so a template reads the same under any base path. */
  readonly basePath: string;
}

/**
 * Reports every HTTP request, on every route and the 404 handler, to `observer`: its route
 * template (`unmatched` when no route served it), method (`OTHER` beyond the common ones),
 * status (499 for a client that hung up first) and duration. Added to the root instance,
 * so it covers every plugin registered after it. Never a URL, so never a slug or profile
 * the caller typed.
 */
export function observeHttpRequests(app: FastifyInstance, options: HttpObservationOptions): void {
  // Nothing listens (metrics and OpenTelemetry both off): no per-request work at all.
  if (options.observer === silentObserver) return;
  const reported = new WeakSet<FastifyRequest>();
  const report = (request: FastifyRequest, reply: FastifyReply, status: number) => {
    // Once per request: some transports (light-my-request) emit `close` unfinished after the answer.
    if (reported.has(request)) return;
    reported.add(request);
    options.observer.httpRequest({
      route: routeTemplateOf(request, options.basePath),
      method: methodLabel(request.method),
      status,
      durationMs: reply.elapsedTime,
    });
  };
  app.addHook('onRequest', async (request, reply) => {
    // fastify runs no onResponse for a client that hung up; it is reported here instead.
    reply.raw.once('close', () => {
      if (!reply.raw.writableFinished) report(request, reply, clientClosedStatus);
    });
  });
  app.addHook('onResponse', async (request, reply) => report(request, reply, reply.statusCode));
}

/** The method as a label: the common ones by name, anything else `OTHER`. */
export function methodLabel(method: string): string {
  return knownMethods.has(method) ? method : 'OTHER';
}

/**
 * Reports a request fastify refused before routing it (a malformed URL, 400): no hook runs
 * for it, so {@link observeHttpRequests} never sees it.
 */
export function observeUnroutableRequest(observer: Observer, request: FastifyRequest, reply: FastifyReply): void {
  observer.httpRequest({ route: unmatchedRoute, method: methodLabel(request.method), status: 400, durationMs: reply.elapsedTime });
}
