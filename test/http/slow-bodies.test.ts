import { afterEach, describe, expect, it } from 'vitest';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { startHarness, type Harness } from '../support/harness.js';
import { openSlowBody, type SlowBodyConnection } from '../support/slow-body.js';

let h: Harness | undefined;
const connections: SlowBodyConnection[] = [];
afterEach(async () => {
  for (const connection of connections.splice(0)) connection.stop();
  await h?.close();
  h = undefined;
});

async function listeningPort(app: FastifyInstance): Promise<number> {
  await app.listen({ port: 0, host: '127.0.0.1' });
  return (app.server.address() as AddressInfo).port;
}

const closedWithin = (connection: SlowBodyConnection, ms: number) =>
  Promise.race([connection.closed.then(() => 'closed'), new Promise((resolve) => setTimeout(resolve, ms, 'still open'))]);

describe('a request whose body is never read', () => {
  describe('when the client trickles a large declared body', () => {
    it('gets its 401 and then has its connection closed within seconds', async () => {
      h = await startHarness();
      const port = await listeningPort(h.app);
      const connection = openSlowBody({ port, path: '/token', byteEveryMs: 500 });
      connections.push(connection);

      expect(await connection.answered).toBe(401);
      expect(await closedWithin(connection, 4000)).toBe('closed');
    });
  });

  describe('when the client trickles a small body to a route that reads none', () => {
    it.each([
      ['/healthcheck', 405],
      ['/no/such/route', 404],
    ])('answers POST %s with %d at once and closes the connection', async (path, status) => {
      h = await startHarness();
      const port = await listeningPort(h.app);
      const connection = openSlowBody({ port, path, declaredBytes: 10_000, headers: { 'content-type': 'text/plain' }, byteEveryMs: 500 });
      connections.push(connection);

      expect(await connection.answered).toBe(status);
      expect(await closedWithin(connection, 4000)).toBe('closed');
    });

    it('answers POST /metrics on the metrics port with 405 at once and closes the connection', async () => {
      h = await startHarness();
      const port = await listeningPort(h.metrics);
      const connection = openSlowBody({ port, path: '/metrics', declaredBytes: 10_000, headers: { 'content-type': 'application/json' }, byteEveryMs: 500 });
      connections.push(connection);

      expect(await connection.answered).toBe(405);
      expect(await closedWithin(connection, 4000)).toBe('closed');
    });
  });
});

describe('an authenticated request whose body trickles', () => {
  it('is answered 400 once SERVER_REQUEST_BODY_TIMEOUT_SECS has passed, audited, and its connection closed', async () => {
    h = await startHarness({ env: { SERVER_REQUEST_BODY_TIMEOUT_SECS: '1' } });
    const port = await listeningPort(h.app);
    const headers = { authorization: `Bearer ${await h.token()}`, 'content-type': 'text/plain' };
    const connection = openSlowBody({ port, path: '/git-credentials', headers, declaredBytes: 1000, byteEveryMs: 300 });
    connections.push(connection);

    expect(await connection.answered).toBe(400);
    expect(await closedWithin(connection, 4000)).toBe('closed');
    expect(h.audit.lines).toMatchObject([{ outcome: 'denied', request: { path: '/git-credentials', status: 400 } }]);
    expect(h.world.github.mints).toHaveLength(0);
  });
});
