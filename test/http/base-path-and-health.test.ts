import { afterEach, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../support/harness.js';
import { valueOf } from '../support/prometheus-text.js';
import { postToken } from '../support/requests.js';
import { scrapeMetrics } from '../support/scrape-metrics.js';

const readyGauge = async (h: Harness) => valueOf((await scrapeMetrics(h.metrics)).families, 'token_bridge_ready');

let h: Harness;
afterEach(async () => h.close());

describe('SERVER_BASE_PATH', () => {
  it('serves every route under the prefix, at a segment boundary only', async () => {
    h = await startHarness({ env: { SERVER_BASE_PATH: 'api/v1/' } });
    const get = (url: string) => h.app.inject({ method: 'GET', url }).then((r) => r.statusCode);

    expect(await get('/api/v1/healthcheck')).toBe(200);
    expect(await get('/healthcheck')).toBe(404);
    expect(await get('/api/v1extra/healthcheck')).toBe(404);
    expect((await postToken(h.app, '/api/v1/token', await h.token())).statusCode).toBe(200);
    expect((await postToken(h.app, '/token', await h.token())).statusCode).toBe(404);
  });

  it('records the path without the prefix in the audit record', async () => {
    h = await startHarness({ env: { SERVER_BASE_PATH: '/bridge' } });
    await postToken(h.app, '/bridge/token/default', await h.token());

    expect(h.audit.lines[0]).toMatchObject({ request: { path: '/token/default' } });
  });
});

describe('readiness and liveness', () => {
  it('answers /healthcheck 200 OK and /livez 200 while ready', async () => {
    h = await startHarness();

    expect((await h.app.inject({ method: 'GET', url: '/healthcheck' })).body).toBe('OK');
    expect((await h.app.inject({ method: 'GET', url: '/livez' })).statusCode).toBe(200);
    expect((await h.app.inject({ method: 'POST', url: '/healthcheck' })).headers.allow).toBe('GET, HEAD');
    expect(await readyGauge(h)).toBe(1);
  });

  describe.each([['starting'], ['draining']])('while %s', (state) => {
    it('answers readiness 503, liveness 200, and vending 503 with an audit record', async () => {
      h = await startHarness({ notReady: state === 'starting' });
      if (state === 'draining') h.readiness.beginDraining();
      const token = await h.token();

      const health = await h.app.inject({ method: 'GET', url: '/healthcheck' });
      const vend = await postToken(h.app, '/token', token);

      expect({ status: health.statusCode, body: health.body }).toEqual({ status: 503, body: state });
      expect((await h.app.inject({ method: 'GET', url: '/livez' })).statusCode).toBe(200);
      expect({ status: vend.statusCode, body: vend.body }).toEqual({ status: 503, body: '{"error":"Service Unavailable"}\n' });
      expect(h.audit.lines).toHaveLength(1);
      expect(h.audit.lines[0]).toMatchObject({ outcome: 'failed', request: { status: 503 }, error: `service is ${state}` });
      expect(h.world.github.requests).toBe(0);
      expect(await readyGauge(h)).toBe(0);
    });
  });
});
