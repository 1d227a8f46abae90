import type { FastifyRequest } from 'fastify';

/** What a request no route served (the 404 handler) is recorded under. */
export const unmatchedRoute = 'unmatched';

/**
 * The template of the route that served `request` without the base path (`/token/:profile`
 * under any prefix), so metrics and spans read the same in every deployment; never the URL,
 * so never a profile or slug the caller typed. {@link unmatchedRoute} when no route served it.
 */
export function routeTemplateOf(request: FastifyRequest, basePath: string): string {
  const template = request.routeOptions.url;
  if (template === undefined) return unmatchedRoute;
  return (template.startsWith(basePath) ? template.slice(basePath.length) : template) || '/';
}

/** A fastify route template in OpenTelemetry's form: `/token/:profile` → `/token/{profile}`. */
export function bracedRoute(template: string): string {
  return template.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
}
