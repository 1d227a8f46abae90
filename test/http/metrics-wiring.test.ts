import { createServer } from 'node:net';
import { pino } from 'pino';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { startServer, type RunningServer } from '../../src/main.js';
import { captureLines } from '../support/capture-stream.js';
import { configFrom, startHarness, type Harness } from '../support/harness.js';
import { valueOf } from '../support/prometheus-text.js';
import { postToken } from '../support/requests.js';
import { scrapeMetrics, scrapeUrl } from '../support/scrape-metrics.js';
import { freePort } from '../support/valkey-server.js';

let h: Harness;
let server: RunningServer | undefined;
afterEach(async () => {
  await server?.shutdown();
  server = undefined;
  await h.close();
});

describe('where /metrics is served', () => {
  describe('with METRICS_ENABLED=false', () => {
    it('is nowhere: 404 for every method', async () => {
      h = await startHarness({ env: { METRICS_ENABLED: 'false' } });
      await postToken(h.app, '/token', await h.token());
      for (const method of ['GET', 'POST'] as const) {
        expect((await h.app.inject({ method, url: '/metrics' })).statusCode).toBe(404);
      }
    });
  });

  describe('by default', () => {
    it('is on its own port, 9090, and the vending port answers /metrics with a plain 404', async () => {
      h = await startHarness();
      await postToken(h.app, '/token', await h.token());

      expect(h.background.metrics?.port).toBe(9090);
      for (const method of ['GET', 'HEAD', 'POST'] as const) {
        const response = await h.app.inject({ method, url: '/metrics' });
        expect({ status: response.statusCode, allow: response.headers.allow }).toEqual({ status: 404, allow: undefined });
      }
      const { families } = await scrapeMetrics(h.metrics);
      expect(valueOf(families, 'token_bridge_vends_total', { route: '/token', outcome: 'issued' })).toBe(1);
    });
  });

  describe('with METRICS_PORT=0 and SERVER_BASE_PATH', () => {
    it('is on the service port under the base path, and route templates leave the base path out', async () => {
      h = await startHarness({ env: { METRICS_PORT: '0', SERVER_BASE_PATH: '/bridge' } });
      await postToken(h.app, '/bridge/token', await h.token());
      expect((await h.app.inject({ method: 'GET', url: '/metrics' })).statusCode).toBe(404);
      const { families } = await scrapeMetrics(h.app, '/bridge/metrics');
      expect(valueOf(families, 'token_bridge_vends_total', { route: '/token', outcome: 'issued' })).toBe(1);
      expect(valueOf(families, 'token_bridge_http_request_duration_seconds_count', { route: '/token', status: '200' })).toBe(1);
    });
  });

  describe('with METRICS_PORT', () => {
    async function start(): Promise<RunningServer> {
      h = await startHarness();
      const config = configFrom({ ...h.world.env, SERVER_PORT: '0', METRICS_PORT: String(await freePort()) });
      const started = await startServer(config, {
        host: '127.0.0.1',
        logger: pino({ level: 'silent' }),
        auditDestination: captureLines().stream,
        fetch: globalThis.fetch,
      });
      server = started;
      await vi.waitFor(() => expect(started.readiness.state).toBe('ready'));
      return started;
    }

    it('is only on that port, at /metrics, and counts what the service port answered', async () => {
      const running = await start();
      const metricsUrl = running.metricsUrl ?? '';
      expect(metricsUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      const vended = await fetch(`${running.url}/token`, { method: 'POST', headers: { authorization: `Bearer ${await h.token()}` } });
      expect(vended.status).toBe(200);

      expect((await fetch(`${running.url}/metrics`)).status).toBe(404);
      expect((await fetch(`${metricsUrl}/token`, { method: 'POST' })).status).toBe(404);
      const wrongMethod = await fetch(`${metricsUrl}/metrics`, { method: 'POST' });
      expect({ status: wrongMethod.status, allow: wrongMethod.headers.get('allow') }).toEqual({ status: 405, allow: 'GET, HEAD' });
      const { families } = await scrapeUrl(`${metricsUrl}/metrics`);
      expect(valueOf(families, 'token_bridge_vends_total', { route: '/token', outcome: 'issued' })).toBe(1);
      expect(families.get('process_cpu_user_seconds_total')?.type).toBe('counter');
    });

    it('when that port is taken, fails to start and releases the service port again', async () => {
      h = await startHarness();
      const taken = createServer();
      const metricsPort = await freePort();
      await new Promise<void>((resolve) => taken.listen(metricsPort, '127.0.0.1', resolve));
      const servicePort = await freePort();
      try {
        const config = configFrom({ ...h.world.env, SERVER_PORT: String(servicePort), METRICS_PORT: String(metricsPort) });
        const starting = startServer(config, {
          host: '127.0.0.1',
          logger: pino({ level: 'silent' }),
          auditDestination: captureLines().stream,
          fetch: globalThis.fetch,
        });
        await expect(starting).rejects.toMatchObject({ code: 'EADDRINUSE' });
        const again = createServer();
        await new Promise<void>((resolve, reject) => again.once('error', reject).listen(servicePort, '127.0.0.1', resolve));
        await new Promise((resolve) => again.close(resolve));
      } finally {
        await new Promise((resolve) => taken.close(resolve));
      }
    });

    it('closes once the service has shut down', async () => {
      const running = await start();
      const metricsUrl = running.metricsUrl ?? '';
      expect(await running.shutdown()).toBe(0);
      server = undefined;
      await expect(fetch(`${metricsUrl}/metrics`)).rejects.toThrow();
    });
  });
});
