import { describe, expect, it } from 'vitest';
import { createManualClock } from '../../src/lib/clock.js';
import type { ObservedState } from '../../src/lib/observer.js';
import { createServiceMetrics } from '../../src/metrics/service-metrics.js';
import { parsePrometheusText, valueOf } from '../support/prometheus-text.js';

function setUp() {
  const clock = createManualClock(1_000_000);
  const metrics = createServiceMetrics({ clock });
  const scrape = async () => parsePrometheusText(await metrics.source.render());
  return { clock, metrics, scrape };
}

describe('service metrics', () => {
  describe('when observations arrive', () => {
    it('counts vends, cache results and upstream errors, and times upstream calls and requests in seconds', async () => {
      const { metrics, scrape } = setUp();
      const { observer } = metrics;
      observer.vend({ route: '/token', profile: 'repo:default', outcome: 'issued', reason: 'none' });
      observer.vend({ route: '/token', profile: 'repo:default', outcome: 'issued', reason: 'none' });
      observer.vend({ route: '/token/:profile', profile: 'unknown', outcome: 'denied', reason: 'profile_not_found' });
      observer.cacheResult({ tier: 'memory', result: 'hit' });
      observer.upstreamCall({ upstream: 'github', operation: 'installation token', durationMs: 250, outcome: 'ok' });
      observer.upstreamCall({ upstream: 'valkey', operation: 'GET', durationMs: 200, outcome: 'timeout' });
      observer.httpRequest({ route: '/token', method: 'POST', status: 200, durationMs: 0.8 });

      const families = await scrape();
      expect(valueOf(families, 'token_bridge_vends_total', { route: '/token', outcome: 'issued' })).toBe(2);
      expect(
        valueOf(families, 'token_bridge_vends_total', { profile: 'unknown', outcome: 'denied', reason: 'profile_not_found' }),
      ).toBe(1);
      expect(valueOf(families, 'token_bridge_token_cache_results_total', { tier: 'memory', result: 'hit' })).toBe(1);
      const github = { upstream: 'github', operation: 'installation token', outcome: 'ok' };
      expect(valueOf(families, 'token_bridge_upstream_request_duration_seconds_sum', github)).toBe(0.25);
      expect(valueOf(families, 'token_bridge_upstream_request_duration_seconds_bucket', { ...github, le: '0.25' })).toBe(1);
      expect(valueOf(families, 'token_bridge_upstream_request_duration_seconds_bucket', { ...github, le: '0.1' })).toBe(0);
      expect(families.get('token_bridge_upstream_errors_total')?.samples).toEqual([
        { name: 'token_bridge_upstream_errors_total', labels: { upstream: 'valkey', operation: 'GET', outcome: 'timeout' }, value: 1 },
      ]);
      const request = { route: '/token', method: 'POST', status: '200' };
      expect(valueOf(families, 'token_bridge_http_request_duration_seconds_bucket', { ...request, le: '0.001' })).toBe(1);
      expect(valueOf(families, 'token_bridge_http_request_duration_seconds_bucket', { ...request, le: '0.0005' })).toBe(0);
    });

    it('keeps the latest rate-limit headroom per budget', async () => {
      const { metrics, scrape } = setUp();
      metrics.observer.githubRateLimitRemaining(4999, 'app');
      metrics.observer.githubRateLimitRemaining(4998, 'app');
      metrics.observer.githubRateLimitRemaining(120, 'installation');
      const families = await scrape();
      expect(valueOf(families, 'token_bridge_github_rate_limit_remaining', { credential: 'app' })).toBe(4998);
      expect(valueOf(families, 'token_bridge_github_rate_limit_remaining', { credential: 'installation' })).toBe(120);
    });

    it("labels an installation's budget with its account", async () => {
      const { metrics, scrape } = setUp();
      metrics.observer.githubRateLimitRemaining(4000, 'installation', 'acme');
      metrics.observer.githubRateLimitRemaining(3000, 'installation', 'acme-labs');
      metrics.observer.githubRateLimitRemaining(4990, 'app');
      const families = await scrape();
      const samples = families.get('token_bridge_github_rate_limit_remaining')?.samples.map(({ labels, value }) => ({ labels, value }));
      expect(samples).toEqual([
        { labels: { credential: 'installation', account: 'acme' }, value: 4000 },
        { labels: { credential: 'installation', account: 'acme-labs' }, value: 3000 },
        { labels: { credential: 'app' }, value: 4990 },
      ]);
    });

    it('counts a duration from a clock that stepped back as zero', async () => {
      const { metrics, scrape } = setUp();
      metrics.observer.upstreamCall({ upstream: 'kms', operation: 'Sign', durationMs: -5, outcome: 'ok' });
      const labels = { upstream: 'kms', operation: 'Sign', outcome: 'ok' };
      expect(valueOf(await scrape(), 'token_bridge_upstream_request_duration_seconds_sum', labels)).toBe(0);
    });
  });

  describe('when it reads the observed state', () => {
    it('has no state samples before it watches anything', async () => {
      const { scrape } = setUp();
      const families = await scrape();
      for (const name of [
        'token_bridge_valkey_connected',
        'token_bridge_profiles_generation_age_seconds',
        'token_bridge_profiles',
        'token_bridge_ready',
        'token_bridge_cache_encryption_keyset_age_seconds',
      ]) {
        expect(families.get(name)?.samples).toEqual([]);
      }
    });

    it('reports Valkey connected, the generation age and the valid and invalid profiles at each scrape', async () => {
      const { clock, metrics, scrape } = setUp();
      let connected = true;
      const state: ObservedState = {
        valkeyConnected: () => connected,
        profiles: () => ({ loadedAtMs: 1_000_000, valid: 3, invalid: 1 }),
      };
      metrics.watch(state);
      clock.advanceMs(90_000);
      let families = await scrape();
      expect(valueOf(families, 'token_bridge_valkey_connected')).toBe(1);
      expect(valueOf(families, 'token_bridge_profiles_generation_age_seconds')).toBe(90);
      expect(valueOf(families, 'token_bridge_profiles', { state: 'valid' })).toBe(3);
      expect(valueOf(families, 'token_bridge_profiles', { state: 'invalid' })).toBe(1);
      connected = false;
      families = await scrape();
      expect(valueOf(families, 'token_bridge_valkey_connected')).toBe(0);
    });

    it('reports readiness and the age of the encryption keyset in use at each scrape', async () => {
      const { clock, metrics, scrape } = setUp();
      let ready = false;
      let keysetLoadedAtMs = 1_000_000;
      metrics.watch({ profiles: () => undefined, ready: () => ready, keysetLoadedAtMs: () => keysetLoadedAtMs });
      clock.advanceMs(30 * 60_000);
      let families = await scrape();
      expect(valueOf(families, 'token_bridge_ready')).toBe(0);
      expect(valueOf(families, 'token_bridge_cache_encryption_keyset_age_seconds')).toBe(1800);
      ready = true;
      keysetLoadedAtMs = clock.nowMs();
      families = await scrape();
      expect(valueOf(families, 'token_bridge_ready')).toBe(1);
      expect(valueOf(families, 'token_bridge_cache_encryption_keyset_age_seconds')).toBe(0);
    });

    it('starts every cache result of the tiers in use at zero', async () => {
      const { metrics, scrape } = setUp();
      metrics.watch({ valkeyConnected: () => false, profiles: () => undefined });
      const samples = (await scrape()).get('token_bridge_token_cache_results_total')?.samples ?? [];
      expect(samples.map((s) => `${s.labels.tier}/${s.labels.result}=${s.value}`).sort()).toEqual([
        'memory/error=0', 'memory/hit=0', 'memory/mismatch=0', 'memory/miss=0',
        'valkey/error=0', 'valkey/hit=0', 'valkey/mismatch=0', 'valkey/miss=0',
      ]);
    });

    it('has no Valkey or generation samples without a shared cache or a loaded profile file', async () => {
      const { metrics, scrape } = setUp();
      metrics.watch({ profiles: () => undefined });
      const families = await scrape();
      expect(families.get('token_bridge_valkey_connected')?.samples).toEqual([]);
      expect(families.get('token_bridge_profiles_generation_age_seconds')?.samples).toEqual([]);
      expect(families.get('token_bridge_profiles')?.samples).toEqual([]);
      expect(families.get('token_bridge_cache_encryption_keyset_age_seconds')?.samples).toEqual([]);
    });
  });

  describe('when two instances live in one process', () => {
    it('keeps their registries apart, each with the runtime defaults', async () => {
      const first = setUp();
      const second = setUp();
      first.metrics.observer.cacheResult({ tier: 'memory', result: 'miss' });
      const [one, two] = [await first.scrape(), await second.scrape()];
      expect(valueOf(one, 'token_bridge_token_cache_results_total', { result: 'miss' })).toBe(1);
      expect(two.get('token_bridge_token_cache_results_total')?.samples).toEqual([]);
      for (const families of [one, two]) {
        expect(families.get('process_cpu_user_seconds_total')?.type).toBe('counter');
        expect(families.get('nodejs_eventloop_lag_seconds')?.type).toBe('gauge');
      }
    });
  });
});
