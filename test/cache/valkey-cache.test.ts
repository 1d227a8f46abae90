import { Valkey } from 'iovalkey';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createEncryptedCodec,
  plaintextCodec,
  type CacheValueCodec,
} from '../../src/cache/encryption/cache-value-codec.js';
import { createTinkAead } from '../../src/cache/encryption/tink-aead.js';
import { createValkeyCache } from '../../src/cache/valkey-cache.js';
import { createValkeyClient, type ValkeyConnection } from '../../src/cache/valkey-client.js';
import { createManualClock } from '../../src/lib/clock.js';
import { freePort, startValkeyServer, type ValkeyServer } from '../support/valkey-server.js';
import { aesGcmKey, keysetOf } from './encryption/encryption-fixtures.js';

interface Cached {
  readonly token: string;
  readonly expiresAt: string;
}

const parseCached = (json: string): Cached | undefined => {
  const value: unknown = JSON.parse(json);
  if (typeof value !== 'object' || value === null) return undefined;
  const { token, expiresAt } = value as Record<string, unknown>;
  return typeof token === 'string' && typeof expiresAt === 'string' ? { token, expiresAt } : undefined;
};

/** A stand-in for the encrypting codec: its own namespace, a marker, and a refusal of anything else. */
const markingCodec: CacheValueCodec = {
  storageKey: (logicalKey) => `enc:${logicalKey}`,
  encode: (logicalKey, plaintext) => `sealed:${logicalKey}:${plaintext}`,
  decode: (logicalKey, stored) => {
    const marker = `sealed:${logicalKey}:`;
    if (!stored.startsWith(marker)) throw new TypeError('value is not sealed for this key');
    return stored.slice(marker.length);
  },
};

const value: Cached = { token: 'ghs_example', expiresAt: '2030-01-01T00:00:00Z' };

describe('valkey cache', () => {
  let server: ValkeyServer;
  let connection: ValkeyConnection;
  let admin: Valkey;
  const clock = createManualClock(Date.now());

  beforeAll(async () => {
    server = await startValkeyServer();
    connection = createValkeyClient({ address: server.address, tls: false, logger: pino({ level: 'silent' }) });
    admin = new Valkey({ host: '127.0.0.1', port: server.port });
    admin.on('error', () => undefined);
    await admin.ping();
    while (!connection.connected()) await new Promise((resolve) => setTimeout(resolve, 10));
  });

  afterAll(async () => {
    await connection.close();
    admin.disconnect();
    await server.stop();
  });

  const cacheWith = (codec: CacheValueCodec) =>
    createValkeyCache<Cached>({ client: connection.client, codec, clock, parse: parseCached });

  describe('with the plaintext codec', () => {
    it('gives back what was set', async () => {
      const cache = cacheWith(plaintextCodec);
      await cache.set('digest:profile://round-trip', value, clock.nowMs() + 60_000);
      expect(await cache.get('digest:profile://round-trip')).toEqual(value);
    });

    it('answers a miss for a key never set', async () => {
      expect(await cacheWith(plaintextCodec).get('digest:profile://never-set')).toBeUndefined();
    });
  });

  describe('with a codec of its own', () => {
    it('stores the encoded JSON under the codec’s storage key', async () => {
      await cacheWith(markingCodec).set('k:stored', value, clock.nowMs() + 60_000);
      expect(await admin.get('enc:k:stored')).toBe(`sealed:k:stored:${JSON.stringify(value)}`);
      expect(await admin.exists('k:stored')).toBe(0);
    });
  });

  describe('when a value is set', () => {
    it('lets Valkey expire it at its expiry time (PX)', async () => {
      await cacheWith(plaintextCodec).set('k:ttl', value, clock.nowMs() + 90_000);
      const pttl = await admin.pttl('k:ttl');
      expect(pttl).toBeGreaterThan(85_000);
      expect(pttl).toBeLessThanOrEqual(90_000);
    });

    it('stores nothing when its expiry time has come or passed', async () => {
      const cache = cacheWith(plaintextCodec);
      await cache.set('k:expired-now', value, clock.nowMs());
      await cache.set('k:expired-before', value, clock.nowMs() - 1_000);
      await cache.set('k:expires-in-half-a-millisecond', value, clock.nowMs() + 0.5);
      expect(await admin.exists('k:expired-now', 'k:expired-before', 'k:expires-in-half-a-millisecond')).toBe(0);
    });
  });

  describe('with the encrypting codec', () => {
    const key = aesGcmKey(0x0a);
    const encrypted = () => createEncryptedCodec(() => createTinkAead(keysetOf(key.keyId, key)));

    it('stores no plaintext, and reads back what it stored', async () => {
      const cache = cacheWith(encrypted());
      await cache.set('digest:profile://sealed', value, clock.nowMs() + 60_000);
      const stored = await admin.get('enc:digest:profile://sealed');
      expect(stored).toMatch(/^cb-enc:/);
      expect(stored).not.toContain('ghs_example');
      expect(await cache.get('digest:profile://sealed')).toEqual(value);
    });

    it('treats a value moved from another key as unreadable, and deletes it', async () => {
      const cache = cacheWith(encrypted());
      await cache.set('digest:profile://other', value, clock.nowMs() + 60_000);
      await admin.copy('enc:digest:profile://other', 'enc:digest:profile://moved');
      await expect(cache.get('digest:profile://moved')).rejects.toMatchObject({
        code: 'cache_value_unreadable',
        reason: 'undecodable',
        deleted: true,
        cause: expect.objectContaining({ code: 'cache_value_undecodable', reason: 'decrypt_failed' }),
      });
      expect(await admin.exists('enc:digest:profile://moved')).toBe(0);
      expect(await cache.get('digest:profile://other')).toEqual(value);
    });
  });

  describe('when the stored value does not decode', () => {
    it('deletes it and throws cache_value_unreadable', async () => {
      await admin.set('enc:k:corrupt', 'sealed:another-key:{}');
      await expect(cacheWith(markingCodec).get('k:corrupt')).rejects.toMatchObject({
        code: 'cache_value_unreadable',
        key: 'k:corrupt',
        reason: 'undecodable',
        deleted: true,
      });
      expect(await admin.exists('enc:k:corrupt')).toBe(0);
    });
  });

  describe('when the stored JSON is not a cached value', () => {
    it('deletes it and throws, without quoting the stored text', async () => {
      const cache = cacheWith(plaintextCodec);
      for (const stored of ['{"token":42}', 'ghs_not_json_secret']) {
        await admin.set('k:malformed', stored);
        const error: unknown = await cache.get('k:malformed').catch((thrown: unknown) => thrown);
        expect(error).toMatchObject({ code: 'cache_value_unreadable', reason: 'malformed', deleted: true });
        expect(JSON.stringify(error, Object.getOwnPropertyNames(error))).not.toContain('secret');
        expect(await admin.exists('k:malformed')).toBe(0);
      }
    });
  });

  describe('when Valkey cannot be reached', () => {
    it('rejects get and set with valkey_command_failed', async () => {
      const away = createValkeyClient({
        address: `127.0.0.1:${await freePort()}`,
        tls: false,
        logger: pino({ level: 'silent' }),
      });
      const cache = createValkeyCache<Cached>({ client: away.client, codec: plaintextCodec, clock, parse: parseCached });
      const failed = { code: 'valkey_command_failed' };
      await expect(cache.get('k:away')).rejects.toMatchObject({ ...failed, command: 'GET' });
      await expect(cache.set('k:away', value, clock.nowMs() + 60_000)).rejects.toMatchObject({
        ...failed,
        command: 'SET',
      });
      await away.close();
    });
  });
});
