import { afterEach, describe, expect, it } from 'vitest';
import { demoAudience, startDemoWorld, type DemoWorld } from '../../src/dev/demo-world.js';
import { runCommand, type RunningCommand } from '../support/child-process.js';
import { freePort } from '../support/valkey-server.js';

let world: DemoWorld | undefined;
let command: RunningCommand | undefined;
afterEach(async () => {
  command?.child.kill('SIGKILL');
  await world?.close();
  world = undefined;
  command = undefined;
});

async function serve(env: Record<string, string> = {}) {
  world = await startDemoWorld();
  command = runCommand(['serve'], { ...world.env, SERVER_PORT: '0', METRICS_PORT: String(await freePort()), ...env });
  const [, url] = await command.waitFor(/"url":"(http:\/\/[^"]+)"/);
  await command.waitFor(/"msg":"server ready"/);
  const oidc = await world.issuer.signToken({}, { audience: demoAudience });
  return { url: (url ?? '').replace('0.0.0.0', '127.0.0.1'), oidc, command, world };
}

describe('token-bridge serve', () => {
  it('exits 1 naming every missing variable when started with no configuration', async () => {
    command = runCommand(['serve'], {});
    const code = await command.exited;

    expect(code).toBe(1);
    for (const name of [
      'JWT_BUILDKITE_ORGANIZATION_SLUG',
      'BUILDKITE_API_TOKEN',
      'GITHUB_APP_ID',
      'GITHUB_APP_INSTALLATION_ID',
      'GITHUB_APP_PRIVATE_KEY',
    ]) {
      expect(command.stderr()).toContain(name);
    }
  });

  it('never echoes a secret when the private key is invalid', async () => {
    command = runCommand(['serve'], {
      JWT_BUILDKITE_ORGANIZATION_SLUG: 'acme',
      BUILDKITE_API_TOKEN: 'bkua_super_secret_value',
      GITHUB_APP_ID: '1',
      GITHUB_APP_INSTALLATION_ID: '2',
      GITHUB_APP_PRIVATE_KEY: '-----BEGIN RSA PRIVATE KEY-----\nc2VjcmV0LWtleS1tYXRlcmlhbA==\n-----END RSA PRIVATE KEY-----',
      OBSERVE_PYROSCOPE_ENABLED: 'true',
      OBSERVE_TYPE: 'zipkin',
    });

    expect(await command.exited).toBe(1);
    expect(command.stderr()).toContain('GITHUB_APP_PRIVATE_KEY');
    expect(command.stderr()).toContain('OBSERVE_PYROSCOPE_ENABLED is not supported');
    expect(command.stderr()).toContain('OBSERVE_TYPE: must be one of grpc, http, stdout');
    expect(command.stderr()).not.toContain('c2VjcmV0');
    expect(command.stderr()).not.toContain('bkua_super_secret_value');
  });

  it('vends over HTTP, then on SIGTERM turns readiness 503, finishes in-flight requests and exits 0', async () => {
    const { url, oidc } = await serve();
    world?.github.setDelayMs(800);
    const inFlight = fetch(`${url}/token`, { method: 'POST', headers: { authorization: `Bearer ${oidc}` } });
    await new Promise((resolve) => setTimeout(resolve, 200));

    command?.child.kill('SIGTERM');
    await command?.waitFor(/server shutdown requested/);
    const readinessDuringDrain = await fetch(`${url}/healthcheck`).then(
      (response) => response.status,
      () => 'refused',
    );
    const response = await inFlight;

    expect(response.status).toBe(200);
    expect(readinessDuringDrain === 503 || readinessDuringDrain === 'refused').toBe(true);
    expect(await command?.exited).toBe(0);
    expect(command?.stdout()).toMatch(/"msg":"audit_event"/);
  });

  it('exits 1 when in-flight requests outlast SERVER_SHUTDOWN_TIMEOUT_SECS', async () => {
    const { url, oidc } = await serve({ SERVER_SHUTDOWN_TIMEOUT_SECS: '1' });
    world?.github.setDelayMs(5000);
    const inFlight = fetch(`${url}/token`, { method: 'POST', headers: { authorization: `Bearer ${oidc}` } }).catch(
      () => undefined,
    );
    await new Promise((resolve) => setTimeout(resolve, 200));

    command?.child.kill('SIGTERM');

    expect(await command?.exited).toBe(1);
    await inFlight;
  });
});

describe('token-bridge demo --check', () => {
  it('performs a /token and a /git-credentials request and exits 0', async () => {
    command = runCommand(['demo', '--check'], {});

    expect(await command.exited).toBe(0);
    expect(command.stdout()).toContain('POST /token -> 200');
    expect(command.stdout()).toContain('POST /git-credentials -> 200');
    expect(command.stdout()).toContain('demo check passed');
  });

  it('writes the audit line of every request of a burst before it exits on SIGTERM', async () => {
    const { url, oidc } = await serve();
    await command?.waitFor(/server ready/);
    const burst = await Promise.all(
      Array.from({ length: 200 }, () => fetch(`${url}/token`, { method: 'POST', headers: { authorization: `Bearer ${oidc}` } })),
    );
    command?.child.kill('SIGTERM');

    expect(await command?.exited).toBe(0);
    expect(burst.map((response) => response.status)).toEqual(Array.from({ length: 200 }, () => 200));
    const audits = (command?.stdout() ?? '').split('\n').filter((line) => line.includes('"msg":"audit_event"'));
    expect(audits).toHaveLength(200);
    for (const line of audits) expect(JSON.parse(line)).toMatchObject({ outcome: 'issued', request: { status: 200 } });
  });
});

describe('token-bridge with an unknown command', () => {
  it('prints the usage and exits 2', async () => {
    command = runCommand(['frobnicate'], {});

    expect(await command.exited).toBe(2);
    expect(command.stderr()).toContain('Usage: token-bridge <command>');
  });
});
