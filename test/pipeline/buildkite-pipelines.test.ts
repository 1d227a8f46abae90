import { afterEach, describe, expect, it } from 'vitest';
import { startFakeBuildkite, type FakeBuildkite } from '../../src/dev/fake-buildkite.js';
import { createManualClock } from '../../src/lib/clock.js';
import { createUpstream } from '../../src/lib/upstream.js';
import { createPipelineRepositoryLookup, type PipelineRepositoryLookup } from '../../src/pipeline/buildkite-pipelines.js';

describe('Buildkite pipeline repository lookup', () => {
  let buildkite: FakeBuildkite;

  afterEach(async () => {
    await buildkite.close();
  });

  async function start(apiToken = 'bk-token', timeoutMs = 2000): Promise<PipelineRepositoryLookup> {
    buildkite = await startFakeBuildkite({
      apiToken: 'bk-token',
      pipelines: {
        'acme/widget': { repository: 'git@github.com:acme/widget.git' },
        'acme/bare': { repository: '' },
        'acme/spaced': { repository: '  https://github.com/acme/spaced.git ' },
      },
    });
    return createPipelineRepositoryLookup({
      apiUrl: `${buildkite.url}/`,
      apiToken,
      fetch: globalThis.fetch,
      upstream: createUpstream({ name: 'buildkite', timeoutMs, clock: createManualClock(0) }),
    });
  }

  describe('when Buildkite knows the pipeline', () => {
    it('answers its repository as Buildkite spells it', async () => {
      const lookup = await start();
      await expect(lookup('acme', 'widget')).resolves.toBe('git@github.com:acme/widget.git');
      expect(buildkite.requests).toBe(1);
    });

    it('trims surrounding spaces (a control character anywhere is refused: repository-url.test.ts)', async () => {
      const lookup = await start();
      await expect(lookup('acme', 'spaced')).resolves.toBe('https://github.com/acme/spaced.git');
    });
  });

  describe('when the pipeline is the caller’s problem', () => {
    it('answers upstream_refused for an unknown pipeline', async () => {
      const lookup = await start();
      await expect(lookup('acme', 'nope')).rejects.toMatchObject({ code: 'upstream_refused', upstream: 'buildkite' });
    });

    it('answers upstream_refused for a pipeline without a repository', async () => {
      const lookup = await start();
      await expect(lookup('acme', 'bare')).rejects.toMatchObject({ code: 'upstream_refused', upstream: 'buildkite' });
    });

    it('does not let a slug escape its path segment', async () => {
      const lookup = await start();
      await expect(lookup('acme', '../acme/widget')).rejects.toMatchObject({ code: 'upstream_refused' });
    });
  });

  describe('when Buildkite or our configuration fails', () => {
    it.each([500, 503, 400])('answers upstream_failed for HTTP %i', async (status) => {
      const lookup = await start();
      buildkite.failNext(status);
      await expect(lookup('acme', 'widget')).rejects.toMatchObject({ code: 'upstream_failed', detail: `HTTP ${status}` });
    });

    it('answers upstream_rate_limited for HTTP 429, for as long as RateLimit-Reset says', async () => {
      const lookup = await start();
      buildkite.failNext(429, 1, { 'ratelimit-reset': '42' });
      await expect(lookup('acme', 'widget')).rejects.toMatchObject({ code: 'upstream_rate_limited', retryAfterSeconds: 42 });
    });

    it('answers upstream_failed when the API token is refused (401)', async () => {
      const lookup = await start('wrong-token');
      await expect(lookup('acme', 'widget')).rejects.toMatchObject({ code: 'upstream_failed', detail: 'HTTP 401' });
    });

    it('answers upstream_timeout when Buildkite is slower than the deadline', async () => {
      const lookup = await start('bk-token', 200);
      buildkite.setDelayMs(2000);
      await expect(lookup('acme', 'widget')).rejects.toMatchObject({ code: 'upstream_timeout', timeoutMs: 200 });
    });

    it('answers upstream_failed when nothing listens', async () => {
      const lookup = await start();
      await buildkite.close();
      await expect(lookup('acme', 'widget')).rejects.toMatchObject({ code: 'upstream_failed', upstream: 'buildkite' });
    });
  });
});
