import { EncryptCommand, KMSClient } from '@aws-sdk/client-kms';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadAwsKeyset } from '../../src/cache/encryption/aws-keyset-loader.js';
import { parseAwsKeysetUris, type AwsKeysetUris } from '../../src/cache/encryption/aws-keyset-uris.js';
import { startFakeAws, type FakeAws, type FakeKmsKey } from '../../src/dev/fake-aws.js';
import { createManualClock } from '../../src/lib/clock.js';
import { createUpstream, type UpstreamCallEvent } from '../../src/lib/upstream.js';

/** Stands in for the binary Keyset protobuf: the loader never looks inside it. */
const keysetBytes = Buffer.from('keyset-bytes');
const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };
const kmsArn = 'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';

describe('AWS keyset loader', () => {
  let fake: FakeAws;
  let kms: KMSClient;
  let secrets: SecretsManagerClient;
  let events: UpstreamCallEvent[];
  let key: FakeKmsKey;
  beforeEach(async () => {
    fake = await startFakeAws();
    // The real clients, reaching the stand-in as they would reach AWS.
    kms = new KMSClient({ region: 'us-east-1', endpoint: fake.url, credentials });
    secrets = new SecretsManagerClient({ region: 'us-east-1', endpoint: fake.url, credentials });
    events = [];
    key = fake.kms.createSymmetricKey();
  });
  afterEach(async () => {
    kms.destroy();
    secrets.destroy();
    await fake.close();
  });

  const load = (uris: Partial<AwsKeysetUris> = {}) => {
    const clock = createManualClock(0);
    const observe = (event: UpstreamCallEvent) => events.push(event);
    return loadAwsKeyset({
      secrets,
      kms,
      secretUri: uris.secretUri ?? 'aws-secretsmanager://cache-keyset',
      kmsKeyUri: uris.kmsKeyUri ?? `aws-kms://${key.arn}`,
      upstreams: {
        secrets: createUpstream({ name: 'secrets-manager', timeoutMs: 10_000, clock, observe }),
        kms: createUpstream({ name: 'kms', timeoutMs: 10_000, clock, observe }),
      },
    });
  };

  /** What tinkey writes: the keyset encrypted with the KMS key (through the real SDK), as JSON. */
  const storeEncryptedKeyset = async (context?: Record<string, string>) => {
    const encrypted = await kms.send(
      new EncryptCommand({ KeyId: key.arn, Plaintext: keysetBytes, EncryptionContext: context }),
    );
    const encryptedKeyset = Buffer.from(encrypted.CiphertextBlob ?? []).toString('base64');
    return fake.secrets.setSecret('cache-keyset', JSON.stringify({ encryptedKeyset, keysetInfo: { primaryKeyId: 1 } }));
  };

  describe('when the secret holds a keyset encrypted with the KMS key', () => {
    it('returns the decrypted keyset bytes', async () => {
      await storeEncryptedKeyset();
      await expect(load()).resolves.toEqual(keysetBytes);
      expect(events.map(({ upstream, operation, outcome }) => ({ upstream, operation, outcome }))).toEqual([
        { upstream: 'secrets-manager', operation: 'get secret value', outcome: 'ok' },
        { upstream: 'kms', operation: 'decrypt', outcome: 'ok' },
      ]);
    });

    it('asks KMS to decrypt with the configured key ARN', async () => {
      await storeEncryptedKeyset();
      await load();
      expect(fake.kms.requests.at(-1)).toEqual({ operation: 'Decrypt', keyId: key.arn });
    });

    it('finds the secret by its ARN too', async () => {
      const secret = await storeEncryptedKeyset();
      await expect(load({ secretUri: `aws-secretsmanager://${secret.arn}` })).resolves.toEqual(keysetBytes);
    });
  });

  describe('when the keyset cannot be read', () => {
    it('fails with upstream_failed ResourceNotFoundException for a missing secret, without calling KMS', async () => {
      await expect(load()).rejects.toMatchObject({
        code: 'upstream_failed',
        upstream: 'secrets-manager',
        operation: 'get secret value',
        detail: 'ResourceNotFoundException',
      });
      expect(fake.kms.requests).toEqual([]);
    });

    it('fails with upstream_failed when the secret has no SecretString', async () => {
      fake.secrets.setSecretBinary('cache-keyset', keysetBytes);
      await expect(load()).rejects.toMatchObject({
        code: 'upstream_failed',
        upstream: 'secrets-manager',
        detail: 'the secret has no string value',
      });
    });

    it.each([
      ['not JSON', 'not json', 'not JSON'],
      ['JSON without encryptedKeyset', '{"primaryKeyId": 1, "key": []}', 'no encryptedKeyset'],
      ['an encryptedKeyset that is not base64', '{"encryptedKeyset": "not base64!"}', 'encryptedKeyset is not base64'],
    ])('fails with upstream_failed when the secret is %s', async (_case, secretString, reason) => {
      fake.secrets.setSecret('cache-keyset', secretString);
      const failure = await load().catch((error: unknown) => error);
      expect(failure).toMatchObject({
        code: 'upstream_failed',
        upstream: 'secrets-manager',
        detail: `the secret is not an encrypted keyset: ${reason}`,
      });
      expect(String(failure)).not.toContain(secretString);
    });
  });

  describe('when KMS will not decrypt it', () => {
    it('fails with upstream_failed IncorrectKeyException when the URI names another key', async () => {
      await storeEncryptedKeyset();
      const other = fake.kms.createSymmetricKey();
      await expect(load({ kmsKeyUri: `aws-kms://${other.arn}` })).rejects.toMatchObject({
        code: 'upstream_failed',
        upstream: 'kms',
        operation: 'decrypt',
        detail: 'IncorrectKeyException',
      });
    });

    it('fails with upstream_failed DisabledException when the key is disabled', async () => {
      await storeEncryptedKeyset();
      fake.kms.disableKey(key.arn);
      await expect(load()).rejects.toMatchObject({ code: 'upstream_failed', upstream: 'kms', detail: 'DisabledException' });
    });

    it('fails for a keyset encrypted with an encryption context, as Tink sends none', async () => {
      await storeEncryptedKeyset({ purpose: 'keyset' });
      await expect(load()).rejects.toMatchObject({ code: 'upstream_failed', detail: 'InvalidCiphertextException' });
    });
  });

  describe('when a URI is invalid', () => {
    it('fails with internal before calling AWS', async () => {
      await expect(load({ secretUri: 'https://example.com/secret' })).rejects.toMatchObject({
        code: 'internal',
        message: 'invalid secrets manager URI "https://example.com/secret": must start with aws-secretsmanager://',
      });
      expect(fake.secrets.requests).toBe(0);
      expect(fake.kms.requests).toEqual([]);
    });
  });
});

describe('AWS keyset URIs', () => {
  const good = { secretUri: 'aws-secretsmanager://cache-keyset', kmsKeyUri: `aws-kms://${kmsArn}` };

  it('gives the secret name and the key ARN of valid URIs', () => {
    expect(parseAwsKeysetUris(good)).toEqual({ ok: true, location: { secretName: 'cache-keyset', kmsKeyArn: kmsArn } });
    const alias = 'arn:aws-us-gov:kms:us-gov-west-1:111122223333:alias/cache';
    expect(parseAwsKeysetUris({ ...good, kmsKeyUri: `aws-kms://${alias}` })).toMatchObject({
      ok: true,
      location: { kmsKeyArn: alias },
    });
  });

  it.each([
    ['https://example.com/secret', 'invalid secrets manager URI "https://example.com/secret": must start with aws-secretsmanager://'],
    ['aws-kms://some-key', 'invalid secrets manager URI "aws-kms://some-key": must start with aws-secretsmanager://'],
    ['', 'invalid secrets manager URI "": must start with aws-secretsmanager://'],
    ['AWS-SECRETSMANAGER://name', 'invalid secrets manager URI "AWS-SECRETSMANAGER://name": must start with aws-secretsmanager://'],
    ['aws-secretsmanager://', 'invalid secrets manager URI "aws-secretsmanager://": secret name is empty'],
  ])('refuses the secret URI "%s"', (secretUri, problem) => {
    expect(parseAwsKeysetUris({ ...good, secretUri })).toEqual({ ok: false, problems: [problem] });
  });

  it.each([
    [kmsArn, `invalid KMS key URI "${kmsArn}": must start with aws-kms://`],
    ['aws-secretsmanager://key', 'invalid KMS key URI "aws-secretsmanager://key": must start with aws-kms://'],
    ['', 'invalid KMS key URI "": must start with aws-kms://'],
    ['aws-kms://', 'invalid KMS key URI "aws-kms://": key ARN is empty'],
    [
      'aws-kms://1234abcd-12ab-34cd-56ef-1234567890ab',
      'invalid KMS key URI "aws-kms://1234abcd-12ab-34cd-56ef-1234567890ab": must name a KMS key ARN (arn:<partition>:kms:<region>:…)',
    ],
  ])('refuses the KMS key URI "%s"', (kmsKeyUri, problem) => {
    expect(parseAwsKeysetUris({ ...good, kmsKeyUri })).toEqual({ ok: false, problems: [problem] });
  });

  it('reports both URIs when both are invalid', () => {
    expect(parseAwsKeysetUris({ secretUri: 'aws-secretsmanager://', kmsKeyUri: 'aws-kms://' })).toEqual({
      ok: false,
      problems: [
        'invalid secrets manager URI "aws-secretsmanager://": secret name is empty',
        'invalid KMS key URI "aws-kms://": key ARN is empty',
      ],
    });
  });

  it('takes any non-empty secret name verbatim', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1 }), (name) => {
        const result = parseAwsKeysetUris({ ...good, secretUri: `aws-secretsmanager://${name}` });
        expect(result).toEqual({ ok: true, location: { secretName: name, kmsKeyArn: kmsArn } });
      }),
    );
  });
});
