import { generateKeyPairSync, verify } from 'node:crypto';
import { KMSClient } from '@aws-sdk/client-kms';
import { decodeProtectedHeader, jwtVerify } from 'jose';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startFakeAws, type FakeAws } from '../../src/dev/fake-aws.js';
import { verifyAppJwt } from '../../src/dev/verify-app-jwt.js';
import { UpstreamFailedError } from '../../src/errors.js';
import { createAppJwtSource } from '../../src/github/app-jwt.js';
import { createKmsSigner } from '../../src/github/kms-signer.js';
import { createManualClock } from '../../src/lib/clock.js';
import { createUpstream, type UpstreamCallEvent } from '../../src/lib/upstream.js';

const appKeys = generateKeyPairSync('rsa', { modulusLength: 2048 });
const startMs = Date.UTC(2026, 10, 23, 18, 0, 0);
const data = new TextEncoder().encode('eyJhbGciOiJSUzI1NiJ9.eyJpc3MiOiIxMjMifQ');

describe('KMS signer', () => {
  let fake: FakeAws;
  let client: KMSClient;
  let events: UpstreamCallEvent[];
  beforeEach(async () => {
    fake = await startFakeAws();
    // The real client, reaching the stand-in as it would reach AWS.
    client = new KMSClient({
      region: 'us-east-1',
      endpoint: fake.url,
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    });
    events = [];
  });
  afterEach(async () => {
    client.destroy();
    await fake.close();
  });

  const signerFor = (keyId: string, timeoutMs = 10_000) => {
    const clock = createManualClock(startMs);
    const upstream = createUpstream({ name: 'kms', timeoutMs, clock, observe: (event) => events.push(event) });
    return createKmsSigner({ client, keyId, upstream });
  };

  describe('when the key signs', () => {
    it('gives an RSASSA-PKCS1-v1_5 SHA-256 signature of the data that verifies with the public key', async () => {
      const key = fake.kms.createSigningKey(appKeys.privateKey);
      const signature = await signerFor(key.arn).sign(data);
      expect(verify('sha256', data, appKeys.publicKey, signature)).toBe(true);
      expect(events).toEqual([{ upstream: 'kms', operation: 'sign', durationMs: 0, outcome: 'ok' }]);
    });

    it('sends KMS the SHA-256 digest only, never the data', async () => {
      const key = fake.kms.createSigningKey(appKeys.privateKey);
      await signerFor(key.arn).sign(data);
      // The fake accepts MessageType DIGEST with a 32-byte message only, so one answered Sign proves it.
      expect(fake.kms.requests).toEqual([{ operation: 'Sign', keyId: key.arn }]);
    });

    it('signs through an alias ARN', async () => {
      const key = fake.kms.createSigningKey(appKeys.privateKey);
      const signature = await signerFor(key.aliasArn).sign(data);
      expect(verify('sha256', data, appKeys.publicKey, signature)).toBe(true);
    });
  });

  describe('when it signs GitHub App JWTs', () => {
    it('gives a JWT that verifies with jose against the public key', async () => {
      const key = fake.kms.createSigningKey(appKeys.privateKey);
      const clock = createManualClock(startMs);
      const jwt = await createAppJwtSource({ appId: '123456', signer: signerFor(key.aliasArn), clock })();
      const { payload } = await jwtVerify(jwt, appKeys.publicKey, {
        algorithms: ['RS256'],
        issuer: '123456',
        currentDate: new Date(startMs),
      });
      expect(payload).toEqual({ iss: '123456', iat: startMs / 1000 - 60, exp: expect.any(Number) });
      expect(decodeProtectedHeader(jwt)).toEqual({ alg: 'RS256', typ: 'JWT' });
      await expect(verifyAppJwt(jwt, { publicKey: appKeys.publicKey, appId: '123456', nowMs: startMs })).resolves.toBe(
        true,
      );
    });

    it('calls KMS Sign once for several mints, concurrent or not, while the JWT is fresh', async () => {
      const key = fake.kms.createSigningKey(appKeys.privateKey);
      const clock = createManualClock(startMs);
      const source = createAppJwtSource({ appId: '123456', signer: signerFor(key.arn), clock });
      const jwts = await Promise.all([source(), source(), source()]);
      clock.advanceMs(5 * 60 * 1000);
      jwts.push(await source());
      expect(new Set(jwts).size).toBe(1);
      expect(fake.kms.signRequests).toBe(1);
    });
  });

  describe('when KMS refuses', () => {
    it.each([
      [
        'the key is disabled',
        'DisabledException',
        (fake: FakeAws) => fake.kms.disableKey(fake.kms.createSigningKey(appKeys.privateKey).arn),
      ],
      ['access is denied', 'AccessDeniedException', (fake: FakeAws) => fake.kms.failNext(400, 'AccessDeniedException')],
    ])('fails with upstream_failed naming only the AWS error when %s', async (_case, name, arrange) => {
      arrange(fake);
      const keyId = `arn:aws:kms:us-east-1:${fake.accountId}:alias/app-key`;
      const failure = await signerFor(keyId).sign(data).catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(UpstreamFailedError);
      expect(failure).toMatchObject({ code: 'upstream_failed', upstream: 'kms', operation: 'sign', detail: name });
      expect(failure).toHaveProperty('message', `kms sign failed: ${name}`);
      expect(events).toEqual([{ upstream: 'kms', operation: 'sign', durationMs: 0, outcome: 'failed' }]);
    });

    it('fails with upstream_failed NotFoundException for an unknown key', async () => {
      const keyId = `arn:aws:kms:us-east-1:${fake.accountId}:key/00000000-0000-0000-0000-000000000000`;
      await expect(signerFor(keyId).sign(data)).rejects.toMatchObject({
        code: 'upstream_failed',
        upstream: 'kms',
        operation: 'sign',
        detail: 'NotFoundException',
      });
    });

    it('passes the failure through the App JWT source unchanged', async () => {
      const clock = createManualClock(startMs);
      const source = createAppJwtSource({ appId: '123456', signer: signerFor('alias/app-key'), clock });
      await expect(source()).rejects.toMatchObject({ code: 'upstream_failed', detail: 'NotFoundException' });
    });

    it('fails with upstream_failed after the SDK has retried a KMS 500', async () => {
      const key = fake.kms.createSigningKey(appKeys.privateKey);
      fake.kms.failNext(500, 'KMSInternalException', 3);
      await expect(signerFor(key.arn).sign(data)).rejects.toMatchObject({
        code: 'upstream_failed',
        detail: 'KMSInternalException',
      });
      expect(fake.kms.signRequests).toBe(3);
    });
  });

  describe('when KMS answers too slowly', () => {
    it('aborts the request and fails with upstream_timeout', async () => {
      const key = fake.kms.createSigningKey(appKeys.privateKey);
      fake.setDelayMs(5_000);
      const startedMs = performance.now();
      await expect(signerFor(key.arn, 100).sign(data)).rejects.toMatchObject({
        code: 'upstream_timeout',
        upstream: 'kms',
        operation: 'sign',
        timeoutMs: 100,
      });
      // Without the abort signal reaching the SDK the call would wait for the answer.
      expect(performance.now() - startedMs).toBeLessThan(2_000);
    });
  });

  describe('when KMS cannot be reached', () => {
    it('fails with upstream_failed naming the network error code', async () => {
      const key = fake.kms.createSigningKey(appKeys.privateKey);
      await fake.close();
      await expect(signerFor(key.arn).sign(data)).rejects.toMatchObject({
        code: 'upstream_failed',
        upstream: 'kms',
        operation: 'sign',
        detail: 'ECONNREFUSED',
      });
    });
  });
});
