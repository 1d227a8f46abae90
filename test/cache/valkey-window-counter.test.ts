import { setTimeout as delay } from 'node:timers/promises';
import { Valkey } from 'iovalkey';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createValkeyClient, type ValkeyConnection } from '../../src/cache/valkey-client.js';
import { createValkeyWindowCounter } from '../../src/cache/valkey-window-counter.js';
import { ValkeyCommandError } from '../../src/errors.js';
import { startValkeyServer, type ValkeyServer } from '../support/valkey-server.js';

describe('valkey window counter', () => {
  let server: ValkeyServer;
  // Two connections, as two instances of the fleet would have.
  let first: ValkeyConnection;
  let second: ValkeyConnection;
  let admin: Valkey;
  const windowMs = 60_000;

  beforeAll(async () => {
    server = await startValkeyServer();
    const connect = () => createValkeyClient({ address: server.address, tls: false, logger: pino({ level: 'silent' }) });
    first = connect();
    second = connect();
    admin = new Valkey({ host: '127.0.0.1', port: server.port });
    admin.on('error', () => undefined);
    await admin.ping();
    while (!first.connected() || !second.connected()) await delay(10);
  });

  afterAll(async () => {
    await Promise.all([first.close(), second.close()]);
    admin.disconnect();
    await server.stop();
  });

  it('counts one key for every connection, in a key that expires with the window', async () => {
    const a = createValkeyWindowCounter({ client: first.client, windowMs, prefix: 'mint-limit:' });
    const b = createValkeyWindowCounter({ client: second.client, windowMs, prefix: 'mint-limit:' });
    const counts = [await a('acme/widget'), await b('acme/widget'), await a('acme/widget')];

    expect(counts.map((c) => c.count)).toEqual([1, 2, 3]);
    for (const { resetsInMs } of counts) {
      expect(resetsInMs).toBeGreaterThan(windowMs - 5_000);
      expect(resetsInMs).toBeLessThanOrEqual(windowMs);
    }
    expect(await admin.get('mint-limit:acme/widget')).toBe('3');
    expect(await admin.pttl('mint-limit:acme/widget')).toBeGreaterThan(windowMs - 5_000);
    expect((await a('acme/gadget')).count).toBe(1);
  });

  it('gives a key found without an expiry one, so it cannot count forever', async () => {
    await admin.set('mint-limit:acme/stale', '41');
    const counted = await createValkeyWindowCounter({ client: first.client, windowMs, prefix: 'mint-limit:' })('acme/stale');

    expect(counted).toEqual({ count: 42, resetsInMs: windowMs });
    expect(await admin.pttl('mint-limit:acme/stale')).toBeGreaterThan(0);
  });

  it('throws ValkeyCommandError when the key holds something else than a count', async () => {
    await admin.set('mint-limit:acme/text', 'not a number');
    const count = createValkeyWindowCounter({ client: first.client, windowMs, prefix: 'mint-limit:' });

    await expect(count('acme/text')).rejects.toBeInstanceOf(ValkeyCommandError);
  });
});
