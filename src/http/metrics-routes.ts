import type { FastifyInstance } from 'fastify';
import type { MetricsSource } from '../metrics/metrics-source.js';

/**
 * `GET /metrics` (and `HEAD`): the Prometheus page. Registered outside the vending scope,
 * so it is neither authenticated nor audited; it holds no token, slug or job.
 */
export function metricsRoutes(source: MetricsSource) {
  return async (app: FastifyInstance): Promise<void> => {
    app.get('/metrics', async (_request, reply) => {
      const page = await source.render();
      return reply.type(source.contentType).header('cache-control', 'no-store').send(page);
    });
  };
}
