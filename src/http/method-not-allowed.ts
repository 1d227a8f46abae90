import type { FastifyInstance, HTTPMethods } from 'fastify';

const everyMethod: HTTPMethods[] = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'];

/**
 * Answers 405 with `Allow` for the methods a known path does not take (fastify alone
 * would say 404). Registered outside the vending scope: nothing is authenticated or audited.
 */
export function methodNotAllowed(paths: Readonly<Record<string, readonly HTTPMethods[]>>) {
  return async (app: FastifyInstance): Promise<void> => {
    for (const [url, allowed] of Object.entries(paths)) {
      const others = everyMethod.filter((method) => !allowed.includes(method));
      app.route({
        method: others,
        url,
        handler: async (_request, reply) =>
          reply.code(405).header('allow', allowed.join(', ')).type('text/plain; charset=utf-8').send('Method Not Allowed\n'),
      });
    }
  };
}
