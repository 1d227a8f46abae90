import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { compileProfileFile } from '../../src/profile/compile-profile-file.js';
import { startHarness, type Harness } from '../support/harness.js';
import { valueOf } from '../support/prometheus-text.js';
import { credentialInput, postCredentials, postToken, postTokenAndHangUp } from '../support/requests.js';
import { scrapeMetrics } from '../support/scrape-metrics.js';
import { profilesYaml } from './profile-fixture.js';

let h: Harness;
beforeEach(async () => {
  h = await startHarness({ profiles: profilesYaml });
});
afterEach(async () => h.close());

const vends = (labels: Record<string, string>) => ['token_bridge_vends_total', labels] as const;

describe('GET /metrics', () => {
  describe('after a few vending requests', () => {
    let oidcToken: string;
    let vendedTokens: string[];

    beforeEach(async () => {
      oidcToken = await h.token();
      const issued = await postToken(h.app, '/token', oidcToken);
      const cached = await postToken(h.app, '/token', oidcToken);
      const scoped = await postToken(h.app, '/organization/token/scoped?repository-scope=widget', oidcToken);
      vendedTokens = [issued, cached, scoped].map((response) => response.json<{ token: string }>().token);
      await postToken(h.app, '/token/no-such-profile', oidcToken);
      await postToken(h.app, '/organization/token/release', await h.token({ build_branch: 'feature' }));
      await postCredentials(h.app, '/git-credentials', oidcToken, credentialInput('acme/other.git'));
      await postToken(h.app, '/token', undefined);
    });

    it('counts vends by route template, resolved profile, outcome and reason class', async () => {
      const { families } = await scrapeMetrics(h.metrics);
      const none = { reason: 'none' };
      expect(valueOf(families, ...vends({ route: '/token', profile: 'repo:default', outcome: 'issued', ...none }))).toBe(2);
      expect(valueOf(families, ...vends({ route: '/organization/token/:profile', profile: 'org:scoped', outcome: 'issued' }))).toBe(1);
      expect(
        valueOf(families, ...vends({ route: '/token/:profile', profile: 'unknown', outcome: 'denied', reason: 'profile_not_found' })),
      ).toBe(1);
      expect(
        valueOf(families, ...vends({ route: '/organization/token/:profile', profile: 'org:release', reason: 'match_failed' })),
      ).toBe(1);
      expect(valueOf(families, ...vends({ route: '/git-credentials', profile: 'repo:default', outcome: 'unmatched', ...none }))).toBe(1);
      expect(valueOf(families, ...vends({ route: '/token', profile: 'unknown', outcome: 'denied', reason: 'token_missing' }))).toBe(1);
    });

    it('counts memory-tier cache results: misses for the mints, a hit, a mismatch for the uncovered repository', async () => {
      const { families } = await scrapeMetrics(h.metrics);
      const memory = (result: string) => valueOf(families, 'token_bridge_token_cache_results_total', { tier: 'memory', result });
      // Misses: the first /token, the scoped mint and the refused release profile never reach the cache.
      expect([memory('hit'), memory('miss'), memory('mismatch'), memory('error')]).toEqual([1, 2, 1, 0]);
    });

    it('times every request by route template, method and status, and every upstream call', async () => {
      const { families } = await scrapeMetrics(h.metrics);
      const count = (labels: Record<string, string>) => valueOf(families, 'token_bridge_http_request_duration_seconds_count', labels);
      expect(count({ route: '/token', method: 'POST', status: '200' })).toBe(2);
      expect(count({ route: '/token', method: 'POST', status: '401' })).toBe(1);
      expect(count({ route: '/token/:profile', method: 'POST', status: '404' })).toBe(1);
      const upstream = (labels: Record<string, string>) =>
        valueOf(families, 'token_bridge_upstream_request_duration_seconds_count', { ...labels, outcome: 'ok' });
      expect(upstream({ upstream: 'github', operation: 'installation token' })).toBe(h.world.github.requests);
      expect(upstream({ upstream: 'buildkite' })).toBe(h.world.buildkite.requests);
    });

    it("reports GitHub's rate-limit headroom for minting", async () => {
      const { families } = await scrapeMetrics(h.metrics);
      expect(valueOf(families, 'token_bridge_github_rate_limit_remaining', { credential: 'app' })).toBe(5000 - h.world.github.requests);
    });

    it('shows the process and Node.js runtime defaults and the profile generation', async () => {
      const { families } = await scrapeMetrics(h.metrics);
      expect(families.get('process_cpu_user_seconds_total')?.type).toBe('counter');
      expect(families.get('nodejs_eventloop_lag_seconds')?.type).toBe('gauge');
      expect(families.get('nodejs_heap_size_used_bytes')?.samples).toHaveLength(1);
      const compiled = compileProfileFile(profilesYaml);
      if (!compiled.ok) throw new Error(compiled.problem);
      const { generation } = compiled;
      const valid = generation.pipelineProfiles.size + generation.organizationProfiles.size;
      const invalid = generation.invalidPipelineProfiles.size + generation.invalidOrganizationProfiles.size;
      expect(valueOf(families, 'token_bridge_profiles', { state: 'valid' })).toBe(valid);
      expect(valueOf(families, 'token_bridge_profiles', { state: 'invalid' })).toBe(invalid);
      expect(valueOf(families, 'token_bridge_profiles_generation_age_seconds')).toBeGreaterThanOrEqual(0);
      expect(families.get('token_bridge_valkey_connected')?.samples).toEqual([]);
    });

    it('holds no OIDC token, vended token, pipeline slug or repository', async () => {
      const { text } = await scrapeMetrics(h.metrics);
      for (const secret of [oidcToken, ...vendedTokens]) expect(text).not.toContain(secret);
      // The demo pipeline is acme/widget: its slug and repository name are both "widget".
      expect(text).not.toContain('widget');
      expect(text).not.toContain('other');
    });
  });

  it('is served without authentication and writes no audit record', async () => {
    const before = h.audit.lines.length;
    await scrapeMetrics(h.metrics);
    const head = await h.metrics.inject({ method: 'HEAD', url: '/metrics' });
    expect(head.statusCode).toBe(200);
    expect(h.audit.lines).toHaveLength(before);
  });

  it('answers 405 with Allow for other methods', async () => {
    const response = await h.metrics.inject({ method: 'POST', url: '/metrics' });
    expect({ status: response.statusCode, allow: response.headers.allow }).toEqual({ status: 405, allow: 'GET, HEAD' });
  });

  it('labels a URL no route serves as unmatched', async () => {
    await h.app.inject({ method: 'GET', url: '/no/such/widget' });
    const { families, text } = await scrapeMetrics(h.metrics);
    expect(valueOf(families, 'token_bridge_http_request_duration_seconds_count', { route: 'unmatched', status: '404' })).toBe(1);
    expect(text).not.toContain('widget');
  });

  it('counts a URL fastify cannot route (malformed percent-encoding) as unmatched 400', async () => {
    const response = await h.app.inject({ method: 'POST', url: '/token/%zz-widget' });
    expect(response.statusCode).toBe(400);
    const { families, text } = await scrapeMetrics(h.metrics);
    expect(valueOf(families, 'token_bridge_http_request_duration_seconds_count', { route: 'unmatched', method: 'POST', status: '400' })).toBe(1);
    expect(text).not.toContain('widget');
  });

  it('counts a client that hung up as failed, with status 499', async () => {
    h.world.github.setDelayMs(500);
    await postTokenAndHangUp(h.app, await h.token());

    await vi.waitFor(() => expect(h.audit.lines).toHaveLength(1), { timeout: 3000 });

    const { families } = await scrapeMetrics(h.metrics);
    expect(valueOf(families, ...vends({ route: '/token', outcome: 'failed', reason: 'client_closed' }))).toBe(1);
    expect(valueOf(families, 'token_bridge_http_request_duration_seconds_count', { route: '/token', status: '499' })).toBe(1);
  });
});
