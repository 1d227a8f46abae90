import { afterEach, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../support/harness.js';
import { valueOf } from '../support/prometheus-text.js';
import { scrapeMetrics } from '../support/scrape-metrics.js';
import { postToken } from '../support/requests.js';

let h: Harness;
afterEach(async () => h.close());


describe('upstream retries within the request budget', () => {
  describe('when GitHub fails a mint once with 502', () => {
    it('mints again and answers 200, each attempt observed and the retry counted', async () => {
      h = await startHarness();
      h.world.github.failNext(502);
      const response = await postToken(h.app, '/token', await h.token());

      expect(response.statusCode).toBe(200);
      expect({ requests: h.world.github.requests, mints: h.world.github.mints.length }).toEqual({ requests: 2, mints: 1 });
      const { families } = await scrapeMetrics(h.metrics);
      const labels = { upstream: 'github', operation: 'installation token' };
      expect(valueOf(families, 'token_bridge_upstream_retries_total', { ...labels, reason: 'failed' })).toBe(1);
      expect(valueOf(families, 'token_bridge_upstream_errors_total', { ...labels, outcome: 'failed' })).toBe(1);
    });
  });

  describe('when Buildkite fails the pipeline lookup twice with 503', () => {
    it('looks up again and answers 200', async () => {
      h = await startHarness();
      h.world.buildkite.failNext(503, 2);
      const response = await postToken(h.app, '/token', await h.token());

      expect(response.statusCode).toBe(200);
      expect(h.world.buildkite.requests).toBe(3);
    });
  });

  describe('when an upstream answers a 4xx that is not a rate limit', () => {
    it.each([401, 403, 404])('asks GitHub once for a mint answered %i, and answers 502', async (status) => {
      h = await startHarness();
      h.world.github.failNext(status, 5);
      const response = await postToken(h.app, '/token', await h.token());

      expect(response.statusCode).toBe(502);
      expect(h.world.github.requests).toBe(1);
    });

    it('asks Buildkite once for a lookup answered 401, and answers 502', async () => {
      h = await startHarness();
      h.world.buildkite.failNext(401, 5);
      const response = await postToken(h.app, '/token', await h.token());

      expect(response.statusCode).toBe(502);
      expect(h.world.buildkite.requests).toBe(1);
    });
  });

  describe('when an upstream never answers', () => {
    it('ends the request with 504 once the budget and one attempt timeout have passed', async () => {
      h = await startHarness({ env: { SERVER_OUTGOING_TIMEOUT_SECS: '1', SERVER_OUTGOING_RETRY_BUDGET_SECS: '2' } });
      h.world.github.setDelayMs(60_000);
      const response = await postToken(h.app, '/token', await h.token());

      expect(response.statusCode).toBe(504);
      // The first attempt times out at 1 s, the second starts within the 2 s budget and
      // times out too; no third fits. Either way nothing runs past 2 s + 1 s.
      expect(h.world.github.requests).toBe(2);
    });
  });
});
