import type { FastifyInstance, HTTPMethods } from 'fastify';
import { untracedRouteConfig } from './tracing-hooks.js';

const everyMethod: HTTPMethods[] = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'];

/**
 * Answers 405 with `Allow` for the methods a known path does not take (fastify alone
 * would say 404). Registered outside the vending scope: nothing is authenticated or audited,
 * and no span is started (metrics still count the answer under the path's template).
 */
export function methodNotAllowed(paths: Readonly<Record<string, readonly HTTPMethods[]>>) {
  return async (app: FastifyInstance): Promise<void> => {
    for (const [url, allowed] of Object.entries(paths)) {
      const others = everyMethod.filter((method) => !allowed.includes(method));
      app.route({
        method: others,
        url,
        config: untracedRouteConfig(),
        handler: async (_request, reply) =>
          reply.code(405).header('allow', allowed.join(', ')).type('text/plain; charset=utf-8').send('Method Not Allowed\n'),
      });
    }
  };
}
