import { afterEach, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../support/harness.js';
import { valueOf } from '../support/prometheus-text.js';
import { scrapeMetrics } from '../support/scrape-metrics.js';
import { credentialInput, postCredentials, postToken } from '../support/requests.js';

let h: Harness;
afterEach(async () => h.close());

/** Seconds since the epoch, `inSecs` from now: GitHub's `x-ratelimit-reset`. */
const resetIn = (inSecs: number) => String(Math.floor(Date.now() / 1000) + inSecs);

describe('GitHub rate limits', () => {
  describe('when a mint is answered 429 with Retry-After: 1', () => {
    it('waits a second, mints again and answers 200', async () => {
      h = await startHarness();
      h.world.github.failNext(429, 1, { 'retry-after': '1' });
      const response = await postToken(h.app, '/token', await h.token());

      expect(response.statusCode).toBe(200);
      expect(h.world.github.requests).toBe(2);
    });
  });

  describe('when a mint is answered 429 with Retry-After: 3600', () => {
    it('answers 503 with Retry-After, audited as upstream_rate_limited', async () => {
      h = await startHarness();
      h.world.github.failNext(429, 1, { 'retry-after': '3600' });
      const response = await postToken(h.app, '/token', await h.token());

      expect({ status: response.statusCode, retryAfter: response.headers['retry-after'], body: response.json() as unknown }).toEqual({
        status: 503,
        retryAfter: '3600',
        body: { error: 'Service Unavailable' },
      });
      expect(h.audit.lines.at(-1)).toMatchObject({ outcome: 'failed', request: { status: 503 }, error: expect.stringContaining('rate-limited') as unknown });
      const { families } = await scrapeMetrics(h.metrics);
      expect(valueOf(families, 'token_bridge_vends_total', { route: '/token', profile: 'repo:default', outcome: 'failed', reason: 'upstream_rate_limited' })).toBe(1);
    });

    it('asks GitHub nothing more until the reset, on /token and /git-credentials alike', async () => {
      h = await startHarness();
      h.world.github.failNext(429, 1, { 'retry-after': '3600' });
      await postToken(h.app, '/token', await h.token());
      const again = await postToken(h.app, '/token', await h.token());
      const git = await postCredentials(h.app, '/git-credentials', await h.token(), credentialInput('acme/widget.git'));

      expect([again.statusCode, git.statusCode]).toEqual([503, 503]);
      expect(Number(again.headers['retry-after'])).toBeGreaterThan(3590);
      expect(h.world.github.requests).toBe(1);
    });
  });

  describe('when a cached token exists and then the App is rate-limited', () => {
    it('still serves the cached token, without asking GitHub', async () => {
      h = await startHarness();
      const token = await h.token();
      expect((await postToken(h.app, '/token', token)).statusCode).toBe(200);
      h.world.buildkite.setPipeline('acme', 'gadget', 'https://github.com/acme/gadget.git');
      h.world.github.failNext(429, 1, { 'retry-after': '3600' });
      const other = await postToken(h.app, '/token', await h.token({ pipeline_slug: 'gadget' }));
      const cached = await postToken(h.app, '/token', token);

      expect([other.statusCode, cached.statusCode]).toEqual([503, 200]);
      expect(h.world.github.requests).toBe(2);
    });
  });

  describe('when a mint is answered with a secondary-limit 403', () => {
    it('answers 503 until x-ratelimit-reset when x-ratelimit-remaining is 0', async () => {
      h = await startHarness();
      h.world.github.failNext(403, 1, { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': resetIn(600) });
      const first = await postToken(h.app, '/token', await h.token());
      const second = await postToken(h.app, '/token', await h.token());

      expect([first.statusCode, second.statusCode]).toEqual([503, 503]);
      expect(Number(first.headers['retry-after'])).toBeGreaterThanOrEqual(598);
      expect(Number(first.headers['retry-after'])).toBeLessThanOrEqual(601);
      expect(h.world.github.requests).toBe(1);
    });

    it('waits for a Retry-After that fits the budget, and answers 200', async () => {
      h = await startHarness();
      h.world.github.failNext(403, 1, { 'retry-after': '1' });
      const response = await postToken(h.app, '/token', await h.token());

      expect(response.statusCode).toBe(200);
      expect(h.world.github.requests).toBe(2);
    });
  });

  describe('when a plain 403 carries neither signal', () => {
    it('answers 502 as before, and the next request asks GitHub again', async () => {
      h = await startHarness();
      h.world.github.failNext(403, 1, { 'x-ratelimit-remaining': '4000' });
      const first = await postToken(h.app, '/token', await h.token());
      const second = await postToken(h.app, '/token', await h.token());

      expect([first.statusCode, second.statusCode]).toEqual([502, 200]);
      expect(h.world.github.requests).toBe(2);
    });
  });

  describe('when Buildkite answers 429', () => {
    it('waits for RateLimit-Reset when it fits the budget', async () => {
      h = await startHarness();
      h.world.buildkite.failNext(429, 1, { 'ratelimit-reset': '1' });
      const response = await postToken(h.app, '/token', await h.token());

      expect(response.statusCode).toBe(200);
      expect(h.world.buildkite.requests).toBe(2);
    });

    it('answers 503 and asks Buildkite nothing until a reset beyond it', async () => {
      h = await startHarness();
      h.world.buildkite.failNext(429, 1, { 'ratelimit-reset': '120' });
      const first = await postToken(h.app, '/token', await h.token());
      const second = await postToken(h.app, '/token', await h.token());

      expect([first.statusCode, first.headers['retry-after'], second.statusCode]).toEqual([503, '120', 503]);
      expect(h.world.buildkite.requests).toBe(1);
      expect(h.world.github.requests).toBe(0);
    });
  });
});
