import { afterEach, describe, expect, it } from 'vitest';
import { demoAudience, startDemoWorld, type DemoWorld } from '../../src/dev/demo-world.js';
import { runCommand, type RunningCommand } from '../support/child-process.js';
import { startOtlpCollector, type OtlpCollector } from './otlp-collector.js';
import { freePort } from '../support/valkey-server.js';

let world: DemoWorld | undefined;
let collector: OtlpCollector | undefined;
let command: RunningCommand | undefined;
afterEach(async () => {
  command?.child.kill('SIGKILL');
  await world?.close();
  await collector?.close();
  world = undefined;
  collector = undefined;
  command = undefined;
});

describe('token-bridge serve with OBSERVE_TYPE=http', () => {
  it('exports the spans and metrics of a request to the OTLP endpoint when it shuts down, without any token', async () => {
    world = await startDemoWorld();
    collector = await startOtlpCollector();
    command = runCommand(['serve'], {
      ...world.env,
      SERVER_PORT: '0',
      METRICS_PORT: String(await freePort()),
      OBSERVE_ENABLED: 'true',
      OBSERVE_TYPE: 'http',
      OBSERVE_SERVICE_NAME: 'token-bridge-e2e',
      OTEL_EXPORTER_OTLP_ENDPOINT: collector.url,
    });
    const [, listening] = await command.waitFor(/"url":"(http:\/\/[^"]+)"/);
    await command.waitFor(/server ready/);
    const url = (listening ?? '').replace('0.0.0.0', '127.0.0.1');
    const oidc = await world.issuer.signToken({}, { audience: demoAudience });

    const response = await fetch(`${url}/token`, { method: 'POST', headers: { authorization: `Bearer ${oidc}` } });
    const { token: vended } = (await response.json()) as { token: string };
    // Nothing is exported before the 20 s batch timeout: what arrives comes from the shutdown flush.
    expect(collector.received).toEqual([]);
    command.child.kill('SIGTERM');

    expect(await command.exited).toBe(0);
    expect(response.status).toBe(200);
    const traces = collector.bodiesAt('/v1/traces');
    const metrics = collector.bodiesAt('/v1/metrics');
    expect(collector.received.every((entry) => entry.contentType === 'application/x-protobuf')).toBe(true);
    for (const text of ['POST /token', 'buildkite pipeline lookup', 'github installation token', 'token-bridge-e2e']) {
      expect(traces).toContain(text);
    }
    expect(traces).toContain('buildkite.pipeline_slug');
    expect(traces).toContain('widget');
    for (const name of ['token.cache.outcome', 'token.cache.result', 'http.server.request.duration', 'token.vend.outcome']) {
      expect(metrics).toContain(name);
    }
    for (const secret of [oidc, vended, world.env.BUILDKITE_API_TOKEN]) {
      expect(traces).not.toContain(secret);
      expect(metrics).not.toContain(secret);
      expect(command.stdout()).not.toContain(secret);
    }
  });
});
