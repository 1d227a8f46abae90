import { setTimeout as delay } from 'node:timers/promises';
import { Valkey } from 'iovalkey';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createValkeyClient, type ValkeyConnection } from '../../src/cache/valkey-client.js';
import { createValkeyLock } from '../../src/cache/valkey-lock.js';
import { freePort, startValkeyServer, type ValkeyServer } from '../support/valkey-server.js';

describe('valkey lock', () => {
  let server: ValkeyServer;
  // Two connections, as two instances of the fleet would have.
  let first: ValkeyConnection;
  let second: ValkeyConnection;
  let admin: Valkey;

  const connect = () => createValkeyClient({ address: server.address, tls: false, logger: pino({ level: 'silent' }) });

  beforeAll(async () => {
    server = await startValkeyServer();
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

  describe('when nobody holds it', () => {
    it('is acquired with a random token, as lock:<key> with a 10 s expiry', async () => {
      const lock = createValkeyLock({ client: first.client });
      const token = await lock.acquire('digest:profile://a');
      expect(token).toMatch(/^[0-9a-f]{32}$/);
      expect(await admin.get('lock:digest:profile://a')).toBe(token);
      const pttl = await admin.pttl('lock:digest:profile://a');
      expect(pttl).toBeGreaterThan(9_000);
      expect(pttl).toBeLessThanOrEqual(10_000);
      expect(await lock.held('digest:profile://a')).toBe(true);
    });

    it('is not held', async () => {
      expect(await createValkeyLock({ client: first.client }).held('digest:profile://never')).toBe(false);
    });
  });

  describe('when another instance holds it', () => {
    it('is not acquired, and the holder’s token stays', async () => {
      const mine = createValkeyLock({ client: first.client });
      const theirs = createValkeyLock({ client: second.client });
      const token = await mine.acquire('k:exclusive');
      expect(await theirs.acquire('k:exclusive')).toBeUndefined();
      expect(await theirs.held('k:exclusive')).toBe(true);
      expect(await admin.get('lock:k:exclusive')).toBe(token);
    });

    it('is not released by a token other than the holder’s', async () => {
      const mine = createValkeyLock({ client: first.client });
      const theirs = createValkeyLock({ client: second.client });
      await mine.acquire('k:release');
      await theirs.release('k:release', 'not-the-token');
      expect(await theirs.held('k:release')).toBe(true);
    });
  });

  describe('when the holder releases it', () => {
    it('is free for the next instance', async () => {
      const mine = createValkeyLock({ client: first.client });
      const theirs = createValkeyLock({ client: second.client });
      const token = await mine.acquire('k:handover');
      if (token === undefined) throw new TypeError('the first acquire must succeed');
      await mine.release('k:handover', token);
      expect(await mine.held('k:handover')).toBe(false);
      expect(await theirs.acquire('k:handover')).toEqual(expect.any(String));
    });
  });

  describe('when the holder goes away without releasing', () => {
    it('expires, and the late holder cannot release the next one’s lock', async () => {
      const gone = createValkeyLock({ client: first.client });
      const next = createValkeyLock({ client: second.client });
      const staleToken = await gone.acquire('k:expiry', 100);
      if (staleToken === undefined) throw new TypeError('the first acquire must succeed');
      expect(await next.acquire('k:expiry')).toBeUndefined();
      await delay(150);
      expect(await next.held('k:expiry')).toBe(false);
      const nextToken = await next.acquire('k:expiry');
      expect(nextToken).toEqual(expect.any(String));
      await gone.release('k:expiry', staleToken);
      expect(await admin.get('lock:k:expiry')).toBe(nextToken);
    });
  });

  describe('when Valkey cannot be reached', () => {
    it('rejects acquire, release and held with valkey_command_failed', async () => {
      const away = createValkeyClient({
        address: `127.0.0.1:${await freePort()}`,
        tls: false,
        logger: pino({ level: 'silent' }),
      });
      const lock = createValkeyLock({ client: away.client });
      const failed = { code: 'valkey_command_failed' };
      await expect(lock.acquire('k:away')).rejects.toMatchObject(failed);
      await expect(lock.release('k:away', 'token')).rejects.toMatchObject(failed);
      await expect(lock.held('k:away')).rejects.toMatchObject(failed);
      await away.close();
    });
  });
});
