import { spawn } from 'node:child_process';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDemoWorld, type DemoWorld } from '../../src/dev/demo-world.js';
import { startServer, type RunningServer } from '../../src/main.js';
import { configFrom } from '../support/harness.js';
import { freePort } from '../support/valkey-server.js';
import { dockerfile, instructionsOf } from './deploy-files.js';

const discard = () => new Writable({ write: (_chunk, _encoding, done) => done() });

/** Runs the image's HEALTHCHECK command with this machine's node, as the engine runs it in the container. */
function runHealthcheck(env: Record<string, string>): Promise<number | null> {
  const [node, ...args] = instructionsOf(dockerfile().final, 'HEALTHCHECK')[0]?.exec ?? [];
  expect(node).toBe('node');
  const child = spawn(process.execPath, args, { env: { PATH: process.env.PATH ?? '', ...env }, stdio: 'ignore' });
  return new Promise((resolve) => child.on('exit', (code) => resolve(code)));
}

describe("the image's HEALTHCHECK", () => {
  let world: DemoWorld;
  let server: RunningServer;
  let port = '';
  beforeAll(async () => {
    world = await startDemoWorld();
    const config = configFrom({ ...world.env, SERVER_PORT: '0', METRICS_PORT: String(await freePort()), SERVER_BASE_PATH: '/bridge/' });
    server = await startServer(config, { host: '127.0.0.1', logger: pino({ level: 'silent' }), auditDestination: discard() });
    port = new URL(server.url).port;
  });
  afterAll(async () => {
    await server.shutdown();
    await world.close();
  });

  it('passes against a live service on SERVER_PORT under SERVER_BASE_PATH', async () => {
    expect(await runHealthcheck({ SERVER_PORT: port, SERVER_BASE_PATH: '/bridge/' })).toBe(0);
  });

  it('fails when the route is not where it looks (another base path)', async () => {
    expect(await runHealthcheck({ SERVER_PORT: port })).toBe(1);
  });

  it('fails when nothing listens', async () => {
    expect(await runHealthcheck({ SERVER_PORT: String(await freePort()) })).toBe(1);
  });
});
