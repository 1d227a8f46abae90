import Fastify, { type FastifyInstance, type FastifyReply } from 'fastify';
import type { MetricsSource } from '../metrics/metrics-source.js';
import { closeConnectionsThatCouldLinger } from './connection-close.js';
import { methodNotAllowed } from './method-not-allowed.js';
import { metricsRoutes } from './metrics-routes.js';

/**
 * The application of the separate metrics listener (`METRICS_PORT`): `/metrics` at the
 * root and nothing else, so the port pipelines call need not expose it.
 */
export function buildMetricsApp(source: MetricsSource): FastifyInstance {
  const app = Fastify({
    logger: false,
    requestTimeout: 30_000,
    forceCloseConnections: 'idle',
    frameworkErrors: (_error, _request, reply) => {
      // The reply here is typed for a route schema there is not; it is an ordinary reply.
      void (reply as unknown as FastifyReply).code(400).type('text/plain; charset=utf-8').send('Bad Request\n');
    },
  });
  // Metrics stay scrapable while the instance drains; only unread bodies close connections.
  closeConnectionsThatCouldLinger(app);
  void app.register(metricsRoutes(source));
  void app.register(methodNotAllowed({ '/metrics': ['GET', 'HEAD'] }));
  app.setNotFoundHandler(async (_request, reply) =>
    reply.code(404).type('text/plain; charset=utf-8').send('404 page not found\n'),
  );
  return app;
}
