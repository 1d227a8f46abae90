import { trace } from '@opentelemetry/api';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { startTelemetry } from '../../src/telemetry/start-telemetry.js';
import { startHarness, type Harness } from '../support/harness.js';
import { postToken } from '../support/requests.js';
import { serveOneRequest, stopServedProcess } from '../support/serve-one-request.js';

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
  await stopServedProcess();
});

const openTelemetryModules = (modules: readonly string[]) => modules.filter((path) => path.includes('/@opentelemetry/'));
/** The SDK's modules: everything of OpenTelemetry but the API, which prom-client loads for its exemplars. */
const sdkModules = (modules: readonly string[]) =>
  openTelemetryModules(modules).filter((path) => !path.includes('/@opentelemetry/api/'));

describe('telemetry by default', () => {
  it('is not started: startTelemetry answers nothing and no tracer provider is registered', async () => {
    const telemetry = await startTelemetry(
      {
        enabled: false,
        exporter: 'grpc',
        serviceName: 'chinmina-bridge',
        traceBatchTimeoutMs: 20_000,
        metricsEnabled: true,
        metricReadIntervalMs: 60_000,
        httpTransportEnabled: true,
        connectionTraceEnabled: true,
        sdkLogLevel: 'info',
      },
      { logger: pino({ level: 'silent' }), clock: { nowMs: () => Date.now() } },
    );
    harness = await startHarness();
    const response = await postToken(harness.app, '/token', await harness.token());

    expect(telemetry).toBeUndefined();
    expect(response.statusCode).toBe(200);
    expect(trace.getTracerProvider().getTracer('probe').startSpan('probe').isRecording()).toBe(false);
    expect(harness.world.github.requestHeaders.at(-1)?.traceparent).toBeUndefined();
  });

  it('loads no module of the OpenTelemetry SDK in a real service that vends a token', async () => {
    const served = await serveOneRequest({});

    expect(served.status).toBe(200);
    expect(served.code).toBe(0);
    expect(served.modules.some((path) => path.includes('/node_modules/pino/'))).toBe(true);
    expect(sdkModules(served.modules)).toEqual([]);
  });
});

describe('telemetry with OBSERVE_TYPE=stdout', () => {
  it('loads the SDK and prints the spans and metrics to stdout on shutdown, without any token', async () => {
    const served = await serveOneRequest({ OBSERVE_ENABLED: 'true', OBSERVE_TYPE: 'stdout' });

    expect(served.status).toBe(200);
    expect(served.code).toBe(0);
    expect(sdkModules(served.modules).some((path) => path.includes('/@opentelemetry/sdk-node/'))).toBe(true);
    expect(served.stdout).toContain("name: 'POST /token'");
    expect(served.stdout).toContain("name: 'github installation token'");
    expect(served.stdout).toContain("'buildkite.pipeline_slug': 'widget'");
    expect(served.stdout).toContain("name: 'token.cache.outcome'");
    for (const secret of served.secrets) expect(served.stdout).not.toContain(secret);
  });
});
