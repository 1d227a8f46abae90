import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EncryptCommand, KMSClient } from '@aws-sdk/client-kms';
import { Valkey } from 'iovalkey';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { encodeAesGcmKey } from '../../src/cache/encryption/aes-gcm-key.js';
import { createEncryptedCodec } from '../../src/cache/encryption/cache-value-codec.js';
import { encodeKeysetProtobuf } from '../../src/cache/encryption/keyset-protobuf.js';
import type { Keyset } from '../../src/cache/encryption/keyset.js';
import { aesGcmTypeUrl } from '../../src/cache/encryption/keyset.js';
import { createTinkAead } from '../../src/cache/encryption/tink-aead.js';
import { startFakeAws, type FakeAws } from '../../src/dev/fake-aws.js';
import { startHarness, testAppKey, type Harness } from '../support/harness.js';
import { valueOf } from '../support/prometheus-text.js';
import { postToken } from '../support/requests.js';
import { scrapeMetrics } from '../support/scrape-metrics.js';
import { startValkeyServer, type ValkeyServer } from '../support/valkey-server.js';

let valkey: ValkeyServer;
let aws: FakeAws;
let dir: string;
let inspector: Valkey;
const savedEnv = { ...process.env };
const keyset: Keyset = {
  primaryKeyId: 1234567,
  keys: [{ keyId: 1234567, status: 'ENABLED', outputPrefixType: 'TINK', aesKey: randomBytes(32) }],
};
const keysetJson = JSON.stringify({
  primaryKeyId: 1234567,
  key: [
    {
      keyData: { typeUrl: aesGcmTypeUrl, value: encodeAesGcmKey(keyset.keys[0]?.aesKey ?? Buffer.alloc(32)).toString('base64'), keyMaterialType: 'SYMMETRIC' },
      status: 'ENABLED',
      keyId: 1234567,
      outputPrefixType: 'TINK',
    },
  ],
});

beforeAll(async () => {
  valkey = await startValkeyServer();
  aws = await startFakeAws();
  dir = await mkdtemp(join(tmpdir(), 'token-bridge-keyset-'));
  await writeFile(join(dir, 'keyset.json'), keysetJson);
  inspector = new Valkey({ host: '127.0.0.1', port: valkey.port, lazyConnect: true });
  inspector.on('error', () => undefined);
  // The AWS SDK reads its standard chain from the environment: point it at the stand-in.
  Object.assign(process.env, {
    AWS_ENDPOINT_URL: aws.url,
    AWS_REGION: aws.region,
    AWS_ACCESS_KEY_ID: 'test',
    AWS_SECRET_ACCESS_KEY: 'test',
  });
});
afterAll(async () => {
  process.env = savedEnv;
  inspector.disconnect();
  await valkey.stop();
  await aws.close();
  await rm(dir, { recursive: true, force: true });
});

const harnesses: Harness[] = [];
afterEach(async () => {
  await Promise.all(harnesses.splice(0).map((h) => h.close()));
  await inspector.flushall().catch(() => undefined);
});

/** Two instances of one fleet: the same stand-ins, one Valkey. */
async function fleet(env: Record<string, string> = {}): Promise<[Harness, Harness]> {
  const cacheEnv = { CACHE_TYPE: 'valkey', VALKEY_ADDRESS: valkey.address, VALKEY_TLS: 'false', ...env };
  const first = await startHarness({ env: cacheEnv });
  const second = await startHarness({ env: cacheEnv, sharedWorld: first.world });
  harnesses.push(second, first);
  return [first, second];
}

const encryptionFromFile = () => ({ CACHE_ENCRYPTION_ENABLED: 'true', CACHE_ENCRYPTION_KEYSET_FILE: join(dir, 'keyset.json') });

describe('a fleet sharing Valkey', () => {
  it('serves one instance\'s mint to the other', async () => {
    const [a, b] = await fleet();
    const first = await postToken(a.app, '/token', await a.token());
    const second = await postToken(b.app, '/token', await b.token());

    expect(second.json<{ token: string }>().token).toBe(first.json<{ token: string }>().token);
    expect(a.world.github.requests).toBe(1);
  });

  it('mints once for 30 concurrent cold requests spread over two instances', async () => {
    const [a, b] = await fleet();
    const oidc = await a.token();
    const responses = await Promise.all(
      Array.from({ length: 30 }, (_, index) => postToken(index % 2 === 0 ? a.app : b.app, '/token', oidc)),
    );

    expect(responses.every((response) => response.statusCode === 200)).toBe(true);
    expect(new Set(responses.map((response) => response.json<{ token: string }>().token)).size).toBe(1);
    expect(a.world.github.requests).toBe(1);
  });

  it('stores only cb-enc: values that decrypt with the keyset and the logical key', async () => {
    const [a] = await fleet(encryptionFromFile());
    const token = (await postToken(a.app, '/token', await a.token())).json<{ token: string }>().token;

    // The shared tier is written after the answer.
    await vi.waitFor(async () => expect(await inspector.keys('enc:*')).toHaveLength(1));
    const keys = await inspector.keys('enc:*');
    const [storageKey] = keys;
    expect(storageKey).toMatch(/^enc:default-profile:v1:profile:\/\/organization\/acme\/pipeline\//);
    const stored = (await inspector.get(storageKey ?? '')) ?? '';
    expect(stored).toMatch(/^cb-enc:/);
    expect(stored).not.toContain(token);

    const logicalKey = (storageKey ?? '').slice('enc:'.length);
    const codec = createEncryptedCodec(() => createTinkAead(keyset));
    expect(JSON.parse(codec.decode(logicalKey, stored))).toMatchObject({ token });
    expect(() => codec.decode(`${logicalKey}x`, stored)).toThrow();
  });

  it('treats an entry that does not decrypt as a miss, deletes it and mints anew', async () => {
    const [a, b] = await fleet(encryptionFromFile());
    await postToken(a.app, '/token', await a.token());
    await vi.waitFor(async () => expect(await inspector.keys('enc:*')).toHaveLength(1));
    const [storageKey] = (await inspector.keys('enc:*')) as [string];
    await inspector.set(storageKey, 'cb-enc:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA');

    const response = await postToken(b.app, '/token', await b.token());

    expect(response.statusCode).toBe(200);
    expect(a.world.github.requests).toBe(2);
    await vi.waitFor(async () => expect(await inspector.get(storageKey)).toMatch(/^cb-enc:[A-Za-z0-9+/]{60}/));
  });

  it('reports on /metrics the age of the keyset in use, loaded at start-up', async () => {
    const [a] = await fleet(encryptionFromFile());
    const age = valueOf((await scrapeMetrics(a.metrics)).families, 'token_bridge_cache_encryption_keyset_age_seconds');
    expect(age).toBeGreaterThanOrEqual(0);
    expect(age).toBeLessThan(60);
  });

  it('vends with the App key only in KMS and the keyset only in Secrets Manager, signing once for several mints', async () => {
    const appKey = await testAppKey();
    const signing = aws.kms.createSigningKey(appKey.privateKey, `app-key-${Date.now()}`);
    const envelope = aws.kms.createSymmetricKey();
    const kms = new KMSClient({});
    const { CiphertextBlob } = await kms.send(new EncryptCommand({ KeyId: envelope.arn, Plaintext: encodeKeysetProtobuf(keyset) }));
    const secretName = `bridge-keyset-${Date.now()}`;
    aws.secrets.setSecret(secretName, JSON.stringify({ encryptedKeyset: Buffer.from(CiphertextBlob ?? []).toString('base64'), keysetInfo: {} }));
    const signsBefore = aws.kms.signRequests;

    const [a] = await fleet({
      GITHUB_APP_PRIVATE_KEY: '',
      GITHUB_APP_PRIVATE_KEY_ARN: signing.aliasArn,
      CACHE_ENCRYPTION_ENABLED: 'true',
      CACHE_ENCRYPTION_KEYSET_URI: `aws-secretsmanager://${secretName}`,
      CACHE_ENCRYPTION_KMS_ENVELOPE_KEY_URI: `aws-kms://${envelope.arn}`,
    });
    a.world.buildkite.setPipeline('acme', 'gadget', 'https://github.com/acme/gadget.git');
    a.world.buildkite.setPipeline('acme', 'gizmo', 'https://github.com/acme/gizmo.git');
    for (const pipeline of ['widget', 'gadget', 'gizmo']) {
      const response = await postToken(a.app, '/token', await a.token({ pipeline_slug: pipeline, pipeline_id: `id-${pipeline}` }));
      expect(response.statusCode).toBe(200);
    }

    expect(a.world.github.mints).toHaveLength(3);
    // One App JWT per instance: each signs at start-up, to learn the default installation's
    // account, and instance a reuses its JWT for all three mints.
    expect(aws.kms.signRequests - signsBefore).toBe(2);
    await vi.waitFor(async () => expect(await inspector.keys('enc:*')).toHaveLength(3));
    const values = await Promise.all((await inspector.keys('enc:*')).map((key) => inspector.get(key)));
    expect(values.every((value) => value?.startsWith('cb-enc:'))).toBe(true);
  });
});

describe('when Valkey goes away', () => {
  it('keeps answering from the local tier or by minting, quickly, and shares again once it is back', async () => {
    const [a, b] = await fleet();
    await postToken(a.app, '/token', await a.token());
    await valkey.kill();

    const started = performance.now();
    const warm = await postToken(a.app, '/token', await a.token());
    const cold = await postToken(b.app, '/token', await b.token());
    const elapsedMs = performance.now() - started;

    expect([warm.statusCode, cold.statusCode]).toEqual([200, 200]);
    expect(elapsedMs).toBeLessThan(2000);
    expect(a.world.github.requests).toBe(2);
    expect(b.logs.lines.some((line) => line.msg === 'shared cache unavailable')).toBe(true);

    await valkey.restart();
    await new Promise((resolve) => setTimeout(resolve, 2500));
    b.world.buildkite.setPipeline('acme', 'gadget', 'https://github.com/acme/gadget.git');
    const claims = { pipeline_slug: 'gadget', pipeline_id: 'id-gadget' };
    await postToken(b.app, '/token', await b.token(claims));
    await postToken(a.app, '/token', await a.token(claims));
    expect(a.world.github.requests).toBe(3);
  });
});

describe('when Valkey hangs', () => {
  it('adds at most about one command timeout to a cold request', async () => {
    const [a, b] = await fleet();
    await postToken(a.app, '/token', await a.token());
    await valkey.freeze();
    try {
      b.world.buildkite.setPipeline('acme', 'gadget', 'https://github.com/acme/gadget.git');
      const started = performance.now();
      const response = await postToken(b.app, '/token', await b.token({ pipeline_slug: 'gadget', pipeline_id: 'id-gadget' }));
      const elapsedMs = performance.now() - started;

      expect(response.statusCode).toBe(200);
      // One 200 ms command timeout, then the breaker skips Valkey; generous for a noisy machine.
      expect(elapsedMs).toBeLessThan(1000);
    } finally {
      await valkey.thaw();
    }
  });
});

describe('an encryption keyset that cannot be used', () => {
  it('stops start-up with the reason', async () => {
    await writeFile(join(dir, 'broken.json'), '{"primaryKeyId": 1, "key": []}');

    await expect(
      startHarness({
        env: {
          CACHE_TYPE: 'valkey',
          VALKEY_ADDRESS: valkey.address,
          VALKEY_TLS: 'false',
          CACHE_ENCRYPTION_ENABLED: 'true',
          CACHE_ENCRYPTION_KEYSET_FILE: join(dir, 'broken.json'),
        },
      }),
    ).rejects.toMatchObject({ code: 'keyset_invalid' });
  });
});
