import type { FastifyInstance } from 'fastify';
import type { Readiness } from '../lifecycle/readiness.js';

/**
 * `GET /healthcheck` is readiness: 200 `OK` only while the instance vends, else 503 with
 * its state, so a load balancer drains it before shutdown and skips it while starting.
 * `GET /livez` is liveness: 200 while the process can answer at all.
 */
export function healthRoutes(readiness: Readiness) {
  return async (app: FastifyInstance): Promise<void> => {
    app.get('/healthcheck', async (_request, reply) => {
      const ready = readiness.state === 'ready';
      return reply
        .code(ready ? 200 : 503)
        .type('text/plain')
        .send(ready ? 'OK' : readiness.state);
    });
    app.get('/livez', async (_request, reply) => reply.type('text/plain').send('OK'));
  };
}
