import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { trace } from '@opentelemetry/api';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { demoAudience, startDemoWorld, type DemoWorld } from '../../src/dev/demo-world.js';
import { startTelemetry } from '../../src/telemetry/start-telemetry.js';
import { runCommand, type RunningCommand } from '../support/child-process.js';
import { startHarness, type Harness } from '../support/harness.js';
import { postToken } from '../support/requests.js';

const recorder = pathToFileURL(fileURLToPath(new URL('./fixtures/record-loaded-modules.mjs', import.meta.url))).href;

let harness: Harness | undefined;
let world: DemoWorld | undefined;
let command: RunningCommand | undefined;
let scratch: string | undefined;
afterEach(async () => {
  command?.child.kill('SIGKILL');
  await harness?.close();
  await world?.close();
  if (scratch) await rm(scratch, { recursive: true, force: true });
  harness = world = command = scratch = undefined;
});

/** Serves one /token request in a real `token-bridge serve`, stops it, and tells what it loaded and printed. */
async function serveOneRequest(env: Record<string, string>) {
  world = await startDemoWorld();
  scratch = await mkdtemp(join(tmpdir(), 'token-bridge-modules-'));
  const modulesFile = join(scratch, 'modules.json');
  command = runCommand(['serve'], {
    ...world.env,
    SERVER_PORT: '0',
    ...env,
    NODE_OPTIONS: `--import=${recorder}`,
    TOKEN_BRIDGE_TEST_LOADED_MODULES_FILE: modulesFile,
  });
  const [, listening] = await command.waitFor(/"url":"(http:\/\/[^"]+)"/);
  await command.waitFor(/server ready/);
  const oidc = await world.issuer.signToken({}, { audience: demoAudience });
  const response = await fetch(`${(listening ?? '').replace('0.0.0.0', '127.0.0.1')}/token`, {
    method: 'POST',
    headers: { authorization: `Bearer ${oidc}` },
  });
  const { token } = (await response.json()) as { token: string };
  command.child.kill('SIGTERM');
  const code = await command.exited;
  const modules = JSON.parse(await readFile(modulesFile, 'utf8')) as string[];
  return { code, status: response.status, modules, stdout: command.stdout(), secrets: [oidc, token] };
}

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
