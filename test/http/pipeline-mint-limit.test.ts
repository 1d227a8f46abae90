import { afterEach, describe, expect, it } from 'vitest';
import { createManualClock, type ManualClock } from '../../src/lib/clock.js';
import { startHarness, type Harness } from '../support/harness.js';
import { valueOf } from '../support/prometheus-text.js';
import { postToken } from '../support/requests.js';
import { scrapeMetrics } from '../support/scrape-metrics.js';
import { profilesYaml } from './profile-fixture.js';

let h: Harness;
let clock: ManualClock;
afterEach(async () => h.close());

async function start(limit: string) {
  clock = createManualClock(Date.now());
  h = await startHarness({ profiles: profilesYaml, clock, env: { PIPELINE_MINT_LIMIT_PER_MINUTE: limit } });
}

/** Each scope is its own cache entry, so each first request for one is a mint for the pipeline. */
const scoped = (repository: string) => `/organization/token/scoped?repository-scope=${repository}`;
const secondsLeftInMinute = (nowMs: number) => Math.ceil((Math.ceil((nowMs + 1) / 60_000) * 60_000 - nowMs) / 1000);

describe('PIPELINE_MINT_LIMIT_PER_MINUTE', () => {
  describe('when a pipeline mints more than the limit in a minute', () => {
    it('answers 429 with Retry-After until the minute ends, whatever the profile family', async () => {
      await start('2');
      const oidc = await h.token();
      expect((await postToken(h.app, '/token', oidc)).statusCode).toBe(200);
      expect((await postToken(h.app, scoped('plugin-a'), oidc)).statusCode).toBe(200);
      const before = h.world.github.requests;

      const limited = await postToken(h.app, scoped('plugin-b'), oidc);

      expect(limited.statusCode).toBe(429);
      expect(limited.headers['retry-after']).toBe(String(secondsLeftInMinute(clock.nowMs())));
      expect(limited.json()).toEqual({ error: 'Too Many Requests' });
      expect(h.world.github.requests).toBe(before);
      expect(h.audit.lines.at(-1)).toMatchObject({
        outcome: 'denied',
        error: 'vendor failure: mint limit reached for acme/widget',
        request: { status: 429 },
      });
      const { families } = await scrapeMetrics(h.background.metrics?.app ?? h.app);
      const labels = { route: '/organization/token/:profile', profile: 'org:scoped', outcome: 'denied', reason: 'rate_limited' };
      expect(valueOf(families, 'token_bridge_vends_total', labels)).toBe(1);

      clock.advanceMs(Number(limited.headers['retry-after']) * 1000);
      expect((await postToken(h.app, scoped('plugin-b'), oidc)).statusCode).toBe(200);
    });

    it('still serves cached tokens', async () => {
      await start('1');
      const oidc = await h.token();
      const first = await postToken(h.app, '/token', oidc);
      expect((await postToken(h.app, scoped('plugin-a'), oidc)).statusCode).toBe(429);

      const again = await Promise.all(Array.from({ length: 10 }, () => postToken(h.app, '/token', oidc)));

      expect(again.map((response) => response.statusCode)).toEqual(Array.from({ length: 10 }, () => 200));
      expect(again.every((response) => response.body === first.body)).toBe(true);
    });

    it('counts each pipeline on its own', async () => {
      await start('1');
      expect((await postToken(h.app, '/token', await h.token())).statusCode).toBe(200);
      h.world.buildkite.setPipeline('acme', 'gadget', 'https://github.com/acme/gadget.git');

      expect((await postToken(h.app, '/token', await h.token({ pipeline_slug: 'gadget' }))).statusCode).toBe(200);
    });
  });

  describe('with 0', () => {
    it('limits nothing', async () => {
      await start('0');
      const oidc = await h.token();
      const statuses = [];
      for (let index = 0; index < 70; index += 1) statuses.push((await postToken(h.app, scoped(`repo-${index}`), oidc)).statusCode);

      expect(new Set(statuses)).toEqual(new Set([200]));
    });
  });
});
