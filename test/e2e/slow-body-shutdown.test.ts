import { afterEach, describe, expect, it } from 'vitest';
import { demoAudience, startDemoWorld, type DemoWorld } from '../../src/dev/demo-world.js';
import { runCommand, type RunningCommand } from '../support/child-process.js';
import { openSlowBody, type SlowBodyConnection } from '../support/slow-body.js';
import { freePort } from '../support/valkey-server.js';

let world: DemoWorld | undefined;
let command: RunningCommand | undefined;
const connections: SlowBodyConnection[] = [];
afterEach(async () => {
  for (const connection of connections.splice(0)) connection.stop();
  command?.child.kill('SIGKILL');
  await world?.close();
  world = undefined;
  command = undefined;
});

describe('token-bridge serve with clients trickling bodies it never reads', () => {
  it('answers each 401, and SIGTERM still ends the process with exit code 0', async () => {
    world = await startDemoWorld();
    command = runCommand(['serve'], { ...world.env, SERVER_PORT: '0', METRICS_PORT: String(await freePort()), SERVER_SHUTDOWN_TIMEOUT_SECS: '5' });
    const [, port] = await command.waitFor(/"url":"http:\/\/[^"]+:(\d+)"/);
    await command.waitFor(/"msg":"server ready"/);
    for (let i = 0; i < 3; i += 1) connections.push(openSlowBody({ port: Number(port), path: '/token', byteEveryMs: 500 }));

    const statuses = await Promise.all(connections.map((connection) => connection.answered));
    command.child.kill('SIGTERM');

    expect(statuses).toEqual([401, 401, 401]);
    expect(await command.exited).toBe(0);
    expect(command.stdout()).toContain('server shutdown complete');
  });

  it('answers a client with a token trickling its body 400 within SERVER_REQUEST_BODY_TIMEOUT_SECS, so SIGTERM still exits 0', async () => {
    world = await startDemoWorld();
    const env = { SERVER_PORT: '0', METRICS_PORT: String(await freePort()), SERVER_SHUTDOWN_TIMEOUT_SECS: '5', SERVER_REQUEST_BODY_TIMEOUT_SECS: '1' };
    command = runCommand(['serve'], { ...world.env, ...env });
    const [, port] = await command.waitFor(/"url":"http:\/\/[^"]+:(\d+)"/);
    await command.waitFor(/"msg":"server ready"/);
    const headers = { authorization: `Bearer ${await world.issuer.signToken({}, { audience: demoAudience })}` };
    connections.push(openSlowBody({ port: Number(port), path: '/git-credentials', headers, declaredBytes: 1000, byteEveryMs: 300 }));
    // The signal comes while the request is in flight: headers parsed, body still trickling.
    await new Promise((resolve) => setTimeout(resolve, 300));

    command.child.kill('SIGTERM');

    expect(await connections[0]?.answered).toBe(400);
    expect(await command.exited).toBe(0);
  });
});
