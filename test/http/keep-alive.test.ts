import { afterEach, describe, expect, it } from 'vitest';
import { Agent, request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startHarness, type Harness } from '../support/harness.js';

let h: Harness | undefined;
const agent = new Agent({ keepAlive: true, maxSockets: 1 });
afterEach(async () => {
  agent.destroy();
  await h?.close();
  h = undefined;
});

interface Answer {
  readonly status: number | undefined;
  readonly connection: string | undefined;
  readonly reusedSocket: boolean;
}

function get(port: number, path: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, path, agent }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode, connection: res.headers.connection, reusedSocket: req.reusedSocket }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('a keep-alive GET that declares no body', () => {
  it.each(['/healthcheck', '/livez', '/no/such/route'])('%s keeps its connection for the next request', async (path) => {
    h = await startHarness();
    await h.app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = h.app.server.address() as AddressInfo;

    const first = await get(port, path);
    const second = await get(port, path);

    expect(first).toMatchObject({ connection: 'keep-alive', reusedSocket: false });
    expect(second).toMatchObject({ status: first.status, connection: 'keep-alive', reusedSocket: true });
  });
});
