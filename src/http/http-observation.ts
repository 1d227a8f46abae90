import type { FastifyReply, FastifyRequest } from 'fastify';
import { silentObserver, type Observer } from '../lib/observer.js';
import type { RequestEndListener } from './request-end.js';
import { routeTemplateOf, unmatchedRoute } from './route-template.js';

const knownMethods = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);

export interface HttpObservationOptions {
  readonly observer: Observer;
  /** Stripped from route templates, so a template reads the same under any base path. */
  readonly basePath: string;
}

/**
 * Reports every ended HTTP request, on every route and the 404 handler, to `observer`: its
 * route template (`unmatched` when no route served it), method (`OTHER` beyond the common
 * ones), status (499 for a client that hung up first) and duration. Never a URL, so never
 * a slug or profile the caller typed. `undefined` when nothing listens (metrics and
 * OpenTelemetry both off): then there is no per-request work at all.
 */
export function httpObservation(options: HttpObservationOptions): RequestEndListener | undefined {
  if (options.observer === silentObserver) return undefined;
  return (request, reply, end) =>
    options.observer.httpRequest({
      route: routeTemplateOf(request, options.basePath),
      method: methodLabel(request.method),
      status: end.status,
      durationMs: reply.elapsedTime,
    });
}

/** The method as a label: the common ones by name, anything else `OTHER`. */
export function methodLabel(method: string): string {
  return knownMethods.has(method) ? method : 'OTHER';
}

/**
 * Reports a request fastify refused before routing it (a malformed URL, 400): no hook runs
 * for it, so {@link httpObservation} never sees it.
 */
export function observeUnroutableRequest(observer: Observer, request: FastifyRequest, reply: FastifyReply): void {
  observer.httpRequest({ route: unmatchedRoute, method: methodLabel(request.method), status: 400, durationMs: reply.elapsedTime });
}
