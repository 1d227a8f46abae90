import { createHash, createPublicKey, generateKeyPairSync, verify } from 'node:crypto';
import {
  DecryptCommand,
  EncryptCommand,
  GetPublicKeyCommand,
  KMSClient,
  SignCommand,
  type SignCommandInput,
} from '@aws-sdk/client-kms';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startFakeAws, type FakeAws } from '../../src/dev/fake-aws.js';

const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };
const data = Buffer.from('header.claims');
const digest = createHash('sha256').update(data).digest();
/** One RSA key for the suite: generating one per test would dominate its run time. */
const appKeys = generateKeyPairSync('rsa', { modulusLength: 2048 });

/** How the real SDK clients reach the stand-in: the endpoint, a region and any credentials. */
const kmsClientFor = (fake: FakeAws) => new KMSClient({ region: fake.region, endpoint: fake.url, credentials });
const secretsClientFor = (fake: FakeAws) =>
  new SecretsManagerClient({ region: fake.region, endpoint: fake.url, credentials });

const signInput = (keyId: string, overrides: Partial<SignCommandInput> = {}): SignCommandInput => ({
  KeyId: keyId,
  Message: digest,
  MessageType: 'DIGEST',
  SigningAlgorithm: 'RSASSA_PKCS1_V1_5_SHA_256',
  ...overrides,
});

/** The shape of an AWS error as the SDK throws it: the modelled name and the HTTP status. */
const awsError = (name: string, status = 400) =>
  expect.objectContaining({ name, $metadata: expect.objectContaining({ httpStatusCode: status }) });

describe('fake AWS', () => {
  let fake: FakeAws;
  let kms: KMSClient;
  beforeEach(async () => {
    fake = await startFakeAws();
    kms = kmsClientFor(fake);
  });
  afterEach(async () => {
    kms.destroy();
    await fake.close();
  });

  describe('when KMS signs a SHA-256 digest', () => {
    it('answers an RSASSA-PKCS1-v1_5 signature of the data that verifies with the public key of a fresh key', async () => {
      const key = fake.kms.createSigningKey();
      const output = await kms.send(new SignCommand(signInput(key.arn)));
      expect(output.KeyId).toBe(key.arn);
      expect(output.SigningAlgorithm).toBe('RSASSA_PKCS1_V1_5_SHA_256');
      expect(verify('sha256', data, key.publicKey, output.Signature ?? new Uint8Array())).toBe(true);
    });

    it.each([
      ['key id', (key: { keyId: string }) => key.keyId],
      ['key ARN', (key: { arn: string }) => key.arn],
      ['alias name', (key: { aliasName: string }) => key.aliasName],
      ['alias ARN', (key: { aliasArn: string }) => key.aliasArn],
    ])('finds the key by its %s', async (_form, name) => {
      const key = fake.kms.createSigningKey(appKeys.privateKey);
      expect(key.aliasArn).toBe(`arn:aws:kms:us-east-1:${fake.accountId}:alias/app-key`);
      const output = await kms.send(new SignCommand(signInput(name(key))));
      expect(verify('sha256', data, key.publicKey, output.Signature ?? new Uint8Array())).toBe(true);
    });

    it('signs with a private key the test gives it, and publishes its public key', async () => {
      const { privateKey, publicKey } = appKeys;
      const key = fake.kms.createSigningKey(privateKey);
      const output = await kms.send(new GetPublicKeyCommand({ KeyId: key.aliasArn }));
      const published = createPublicKey({ key: Buffer.from(output.PublicKey ?? []), format: 'der', type: 'spki' });
      expect(published.equals(publicKey)).toBe(true);
      expect(output).toMatchObject({ KeyId: key.arn, KeySpec: 'RSA_2048', KeyUsage: 'SIGN_VERIFY' });
    });

    it('counts every Sign request, answered or not', async () => {
      const key = fake.kms.createSigningKey(appKeys.privateKey);
      await kms.send(new SignCommand(signInput(key.arn)));
      await expect(kms.send(new SignCommand(signInput('alias/nothing')))).rejects.toThrow();
      expect(fake.kms.signRequests).toBe(2);
      expect(fake.kms.requests).toEqual([
        { operation: 'Sign', keyId: key.arn },
        { operation: 'Sign', keyId: 'alias/nothing' },
      ]);
    });
  });

  describe('when a Sign request cannot be served', () => {
    it('answers NotFoundException for an unknown key, alias or other account', async () => {
      const key = fake.kms.createSigningKey(appKeys.privateKey);
      for (const keyId of ['alias/other', 'no-such-key', key.arn.replace(fake.accountId, '111111111111')]) {
        await expect(kms.send(new SignCommand(signInput(keyId)))).rejects.toEqual(awsError('NotFoundException'));
      }
    });

    it('answers DisabledException while the key is disabled', async () => {
      const key = fake.kms.createSigningKey(appKeys.privateKey);
      fake.kms.disableKey(key.aliasArn);
      await expect(kms.send(new SignCommand(signInput(key.arn)))).rejects.toEqual(awsError('DisabledException'));
      fake.kms.enableKey(key.keyId);
      await expect(kms.send(new SignCommand(signInput(key.arn)))).resolves.toMatchObject({ KeyId: key.arn });
    });

    it('answers InvalidKeyUsageException for another algorithm or a symmetric key', async () => {
      const key = fake.kms.createSigningKey(appKeys.privateKey);
      const pss = signInput(key.arn, { SigningAlgorithm: 'RSASSA_PSS_SHA_256' });
      await expect(kms.send(new SignCommand(pss))).rejects.toEqual(awsError('InvalidKeyUsageException'));
      const symmetric = fake.kms.createSymmetricKey();
      await expect(kms.send(new SignCommand(signInput(symmetric.arn)))).rejects.toEqual(
        awsError('InvalidKeyUsageException'),
      );
    });

    it('answers ValidationException for a raw message or a digest of the wrong length', async () => {
      const key = fake.kms.createSigningKey(appKeys.privateKey);
      const raw = signInput(key.arn, { MessageType: 'RAW', Message: data });
      await expect(kms.send(new SignCommand(raw))).rejects.toEqual(awsError('ValidationException'));
      const short = signInput(key.arn, { Message: digest.subarray(0, 20) });
      await expect(kms.send(new SignCommand(short))).rejects.toEqual(awsError('ValidationException'));
    });

    it('answers a scripted failure once, then serves again', async () => {
      const key = fake.kms.createSigningKey(appKeys.privateKey);
      fake.kms.failNext(400, 'AccessDeniedException');
      await expect(kms.send(new SignCommand(signInput(key.arn)))).rejects.toEqual(awsError('AccessDeniedException'));
      await expect(kms.send(new SignCommand(signInput(key.arn)))).resolves.toMatchObject({ KeyId: key.arn });
    });
  });

  describe('when KMS encrypts with a symmetric key', () => {
    const plaintext = Buffer.from('keyset-bytes');
    const encrypt = async (keyId: string, context?: Record<string, string>): Promise<Uint8Array> => {
      const output = await kms.send(new EncryptCommand({ KeyId: keyId, Plaintext: plaintext, EncryptionContext: context }));
      return output.CiphertextBlob ?? new Uint8Array();
    };

    it('decrypts the blob again, with or without the KeyId', async () => {
      const key = fake.kms.createSymmetricKey();
      const blob = await encrypt(key.arn);
      expect(Buffer.from(blob).includes(plaintext)).toBe(false);
      for (const keyId of [key.arn, key.keyId, undefined]) {
        const output = await kms.send(new DecryptCommand({ CiphertextBlob: blob, KeyId: keyId }));
        expect(output).toMatchObject({ KeyId: key.arn, EncryptionAlgorithm: 'SYMMETRIC_DEFAULT' });
        expect(Buffer.from(output.Plaintext ?? [])).toEqual(plaintext);
      }
    });

    it('refuses a KeyId naming another key with IncorrectKeyException', async () => {
      const blob = await encrypt(fake.kms.createSymmetricKey().arn);
      const other = fake.kms.createSymmetricKey();
      await expect(kms.send(new DecryptCommand({ CiphertextBlob: blob, KeyId: other.arn }))).rejects.toEqual(
        awsError('IncorrectKeyException'),
      );
    });

    it('refuses another encryption context or a tampered blob with InvalidCiphertextException', async () => {
      const key = fake.kms.createSymmetricKey();
      const blob = await encrypt(key.arn, { purpose: 'keyset' });
      const other = { CiphertextBlob: blob, EncryptionContext: { purpose: 'other' } };
      await expect(kms.send(new DecryptCommand(other))).rejects.toEqual(awsError('InvalidCiphertextException'));
      await expect(kms.send(new DecryptCommand({ CiphertextBlob: blob }))).rejects.toEqual(
        awsError('InvalidCiphertextException'),
      );
      const tampered = Buffer.from(blob);
      tampered[tampered.length - 1] = (tampered.at(-1) ?? 0) ^ 1;
      const tamperedInput = { CiphertextBlob: tampered, EncryptionContext: { purpose: 'keyset' } };
      await expect(kms.send(new DecryptCommand(tamperedInput))).rejects.toEqual(awsError('InvalidCiphertextException'));
    });

    it('refuses a disabled key with DisabledException', async () => {
      const key = fake.kms.createSymmetricKey();
      const blob = await encrypt(key.arn);
      fake.kms.disableKey(key.arn);
      await expect(kms.send(new DecryptCommand({ CiphertextBlob: blob }))).rejects.toEqual(awsError('DisabledException'));
    });
  });

  describe('when Secrets Manager is asked for a secret', () => {
    let secrets: SecretsManagerClient;
    beforeEach(() => {
      secrets = secretsClientFor(fake);
    });
    afterEach(() => secrets.destroy());

    it('answers its current SecretString by name or by ARN', async () => {
      const secret = fake.secrets.setSecret('cache-keyset', '{"encryptedKeyset":"AA=="}');
      expect(secret.arn).toMatch(/^arn:aws:secretsmanager:us-east-1:000000000000:secret:cache-keyset-[0-9a-f]{6}$/);
      for (const secretId of [secret.name, secret.arn]) {
        const output = await secrets.send(new GetSecretValueCommand({ SecretId: secretId }));
        expect(output).toMatchObject({ ARN: secret.arn, Name: 'cache-keyset', SecretString: '{"encryptedKeyset":"AA=="}' });
      }
      expect(fake.secrets.requests).toBe(2);
    });

    it('answers ResourceNotFoundException for an unknown or deleted secret', async () => {
      fake.secrets.setSecret('gone', 'value');
      fake.secrets.deleteSecret('gone');
      for (const secretId of ['gone', 'never']) {
        await expect(secrets.send(new GetSecretValueCommand({ SecretId: secretId }))).rejects.toEqual(
          awsError('ResourceNotFoundException'),
        );
      }
    });

    it('answers no SecretString for a binary secret', async () => {
      fake.secrets.setSecretBinary('binary', Buffer.from([1, 2, 3]));
      const output = await secrets.send(new GetSecretValueCommand({ SecretId: 'binary' }));
      expect(output.SecretString).toBeUndefined();
      expect(Buffer.from(output.SecretBinary ?? [])).toEqual(Buffer.from([1, 2, 3]));
    });
  });

  describe('when a request is not a signed AWS JSON request', () => {
    const post = (headers: Record<string, string>) =>
      fetch(`${fake.url}/`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-amz-json-1.1', ...headers },
        body: '{}',
      });
    const sigV4 = 'AWS4-HMAC-SHA256 Credential=test/20261123/us-east-1/kms/aws4_request, SignedHeaders=host, Signature=00';

    it('answers 400 MissingAuthenticationTokenException without an Authorization header', async () => {
      const response = await post({ 'x-amz-target': 'TrentService.Sign' });
      expect(response.status).toBe(400);
      expect(await response.json()).toEqual({ __type: 'MissingAuthenticationTokenException', message: expect.any(String) });
      expect(fake.kms.requests).toEqual([]);
    });

    it('answers 400 UnknownOperationException for an unknown target or operation', async () => {
      for (const target of ['DynamoDB_20120810.GetItem', 'TrentService.CreateKey', 'secretsmanager.PutSecretValue']) {
        const response = await post({ 'x-amz-target': target, authorization: sigV4 });
        expect(response.status).toBe(400);
        expect(await response.json()).toMatchObject({ __type: 'UnknownOperationException' });
      }
    });
  });

  describe('when a client is configured only by the environment', () => {
    const names = ['AWS_ENDPOINT_URL', 'AWS_REGION', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY'] as const;
    const saved = new Map<string, string | undefined>();
    beforeEach(() => {
      for (const name of names) saved.set(name, process.env[name]);
      process.env.AWS_ENDPOINT_URL = fake.url;
      process.env.AWS_REGION = fake.region;
      process.env.AWS_ACCESS_KEY_ID = 'test';
      process.env.AWS_SECRET_ACCESS_KEY = 'test';
    });
    afterEach(() => {
      for (const [name, value] of saved) {
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      }
    });

    it('reaches the fake through AWS_ENDPOINT_URL', async () => {
      const key = fake.kms.createSigningKey(appKeys.privateKey);
      const client = new KMSClient({});
      try {
        const output = await client.send(new SignCommand(signInput(key.aliasArn)));
        expect(verify('sha256', data, key.publicKey, output.Signature ?? new Uint8Array())).toBe(true);
        expect(fake.kms.signRequests).toBe(1);
      } finally {
        client.destroy();
      }
    });
  });
});
