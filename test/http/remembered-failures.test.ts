import { afterEach, describe, expect, it } from 'vitest';
import { createManualClock, type ManualClock } from '../../src/lib/clock.js';
import { startHarness, type Harness } from '../support/harness.js';
import { postToken } from '../support/requests.js';
import { profilesYaml } from './profile-fixture.js';

let h: Harness;
let clock: ManualClock;
afterEach(async () => h.close());

async function start(options: Parameters<typeof startHarness>[0] = {}) {
  clock = createManualClock(Date.now());
  h = await startHarness({ ...options, clock });
}

/** 25 requests at once, then 25 one after the other; every answer's status. */
async function fiftyRequests(send: () => ReturnType<typeof postToken>): Promise<number[]> {
  const burst = await Promise.all(Array.from({ length: 25 }, send));
  const sequential = [];
  for (let index = 0; index < 25; index += 1) sequential.push(await send());
  return [...burst, ...sequential].map((response) => response.statusCode);
}

describe('remembered upstream failures', () => {
  describe('for a pipeline Buildkite does not know', () => {
    it('asks Buildkite once per 30 s and answers every request with the same 403', async () => {
      await start();
      const oidc = await h.token({ pipeline_slug: 'ghost' });

      const statuses = await fiftyRequests(() => postToken(h.app, '/token', oidc));

      expect(new Set(statuses)).toEqual(new Set([403]));
      expect(h.world.buildkite.requests).toBe(1);
      const errors = new Set(h.audit.lines.map((line) => `${String(line['outcome'])} ${String(line['error'])}`));
      expect(errors).toEqual(new Set(['denied vendor failure: buildkite refused: pipeline acme/ghost not found']));

      clock.advanceMs(30_000);
      expect((await postToken(h.app, '/token', oidc)).statusCode).toBe(403);
      expect(h.world.buildkite.requests).toBe(2);
    });
  });

  describe('when Buildkite fails', () => {
    it('answers 502 from memory until the window ends, then asks again', async () => {
      // Retries off: the failure must reach the caller to be remembered (a retried 500 would succeed).
      await start({ env: { CACHE_FAILURE_TTL_SECS: '5', SERVER_OUTGOING_RETRY_BUDGET_SECS: '0' } });
      h.world.buildkite.failNext(500);
      const oidc = await h.token();

      const statuses = await fiftyRequests(() => postToken(h.app, '/token', oidc));

      expect(new Set(statuses)).toEqual(new Set([502]));
      expect(h.world.buildkite.requests).toBe(1);
      clock.advanceMs(5_000);
      expect((await postToken(h.app, '/token', oidc)).statusCode).toBe(200);
      expect(h.world.buildkite.requests).toBe(2);
    });
  });

  describe('for a caller-scoped repository GitHub refuses', () => {
    it('mints once per 30 s per scope and answers every request with the same 403', async () => {
      await start({ profiles: profilesYaml, world: { repositories: ['widget', 'plugin-a'] } });
      const oidc = await h.token();
      const mintRequests = () => h.world.github.requests;
      const before = mintRequests();

      const statuses = await fiftyRequests(() => postToken(h.app, '/organization/token/scoped?repository-scope=secret', oidc));

      expect(new Set(statuses)).toEqual(new Set([403]));
      expect(mintRequests() - before).toBe(1);
      expect(h.audit.lines.at(-1)).toMatchObject({ outcome: 'denied', error: 'vendor failure: github refused: repositories not accessible to the installation' });

      const other = await postToken(h.app, '/organization/token/scoped?repository-scope=plugin-a', oidc);
      expect(other.statusCode).toBe(200);
      clock.advanceMs(30_000);
      await postToken(h.app, '/organization/token/scoped?repository-scope=secret', oidc);
      expect(mintRequests() - before).toBe(3);
    });
  });

  describe('with CACHE_FAILURE_TTL_SECS=0', () => {
    it('asks Buildkite for every request one after the other', async () => {
      await start({ env: { CACHE_FAILURE_TTL_SECS: '0' } });
      const oidc = await h.token({ pipeline_slug: 'ghost' });
      for (let index = 0; index < 3; index += 1) await postToken(h.app, '/token', oidc);

      expect(h.world.buildkite.requests).toBe(3);
    });
  });
});
