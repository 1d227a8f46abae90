import { afterEach, describe, expect, it } from 'vitest';
import type { AddressInfo } from 'node:net';
import { startHarness, type Harness } from '../support/harness.js';
import { openSlowBody, type SlowBodyConnection } from '../support/slow-body.js';

let h: Harness | undefined;
const connections: SlowBodyConnection[] = [];
afterEach(async () => {
  for (const connection of connections.splice(0)) connection.stop();
  await h?.close();
  h = undefined;
});

async function listeningPort(harness: Harness): Promise<number> {
  await harness.app.listen({ port: 0, host: '127.0.0.1' });
  return (harness.app.server.address() as AddressInfo).port;
}

describe('a request whose body is never read', () => {
  describe('when the client trickles a large declared body', () => {
    it('gets its 401 and then has its connection closed within seconds', async () => {
      h = await startHarness();
      const port = await listeningPort(h);
      const connection = openSlowBody({ port, path: '/token', byteEveryMs: 500 });
      connections.push(connection);

      expect(await connection.answered).toBe(401);
      const outcome = await Promise.race([
        connection.closed.then(() => 'closed'),
        new Promise((resolve) => setTimeout(resolve, 4000, 'still open')),
      ]);

      expect(outcome).toBe('closed');
    });
  });
});
