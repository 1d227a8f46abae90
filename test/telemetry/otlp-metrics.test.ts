import type { MetricData } from '@opentelemetry/sdk-metrics';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../support/harness.js';
import { postToken } from '../support/requests.js';
import { startTestTelemetry, type TestTelemetry } from './telemetry-fixtures.js';

let observed: TestTelemetry;
let harness: Harness | undefined;
beforeAll(async () => {
  observed = await startTestTelemetry();
});
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});
afterAll(async () => {
  await observed.telemetry.shutdown();
});

/** The metrics exported by a flush, by name. */
async function exportedMetrics(): Promise<Map<string, MetricData>> {
  await observed.telemetry.flush();
  const latest = observed.metricExporter.getMetrics().at(-1);
  return new Map((latest?.scopeMetrics ?? []).flatMap((scope) => scope.metrics).map((metric) => [metric.descriptor.name, metric]));
}

const pointsOf = (metric: MetricData | undefined) =>
  (metric?.dataPoints ?? []).map((point) => ({ attributes: point.attributes, value: point.value }));

describe('OTLP metrics', () => {
  it("count cache outcomes and vends, and time requests and upstream calls, under Chinmina's names where it has one", async () => {
    harness = await startHarness({ telemetry: observed.telemetry });
    const oidc = await harness.token();
    expect((await postToken(harness.app, '/token', oidc)).statusCode).toBe(200);
    expect((await postToken(harness.app, '/token', oidc)).statusCode).toBe(200);
    const metrics = await exportedMetrics();

    expect(pointsOf(metrics.get('token.cache.outcome'))).toEqual(
      expect.arrayContaining([
        { attributes: { 'token.cache.result': 'miss', 'cache.type': 'memory' }, value: 1 },
        { attributes: { 'token.cache.result': 'hit', 'cache.type': 'memory' }, value: 1 },
      ]),
    );
    expect(pointsOf(metrics.get('token.vend.outcome'))).toEqual([
      {
        attributes: { 'http.route': '/token', 'token.profile': 'repo:default', 'token.vend.result': 'issued', 'token.vend.reason': 'none' },
        value: 2,
      },
    ]);
    const duration = metrics.get('http.server.request.duration');
    expect(duration?.descriptor.unit).toBe('s');
    expect(pointsOf(duration)).toEqual(
      expect.arrayContaining([
        {
          attributes: { 'http.request.method': 'POST', 'http.response.status_code': 200, 'http.route': '/token' },
          value: expect.objectContaining({ count: 2 }),
        },
      ]),
    );
    const upstreams = pointsOf(metrics.get('upstream.request.duration')).map((point) => point.attributes);
    expect(upstreams).toEqual(
      expect.arrayContaining([
        { 'upstream.name': 'github', 'upstream.operation': 'installation token', 'upstream.outcome': 'ok' },
        { 'upstream.name': 'buildkite', 'upstream.operation': 'pipeline lookup', 'upstream.outcome': 'ok' },
      ]),
    );
    expect(pointsOf(metrics.get('github.ratelimit.remaining'))).toEqual([
      { attributes: { 'github.credential': 'app' }, value: expect.any(Number) },
    ]);
  });

  it("report an installation's rate-limit headroom with its account", async () => {
    harness = await startHarness({ telemetry: observed.telemetry, githubProfiles: 'organization:\n  profiles: []\n' });
    const metrics = await exportedMetrics();

    expect(pointsOf(metrics.get('github.ratelimit.remaining'))).toEqual(
      expect.arrayContaining([
        { attributes: { 'github.credential': 'app' }, value: expect.any(Number) },
        { attributes: { 'github.credential': 'installation', 'github.account': 'acme' }, value: expect.any(Number) },
      ]),
    );
  });

  it('read the profile generation at collection time', async () => {
    harness = await startHarness({ telemetry: observed.telemetry, profiles: 'organization:\n  profiles: []\n' });
    const metrics = await exportedMetrics();

    expect(pointsOf(metrics.get('profile.count'))).toEqual([
      { attributes: { 'profile.state': 'valid' }, value: expect.any(Number) },
      { attributes: { 'profile.state': 'invalid' }, value: 0 },
    ]);
    expect(pointsOf(metrics.get('profile.generation.age'))[0]?.value).toEqual(expect.any(Number));
  });
});
