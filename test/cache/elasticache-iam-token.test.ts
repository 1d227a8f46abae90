import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  createElastiCacheAuthToken,
  type AwsCredentials,
  type ElastiCacheAuthTokenOptions,
} from '../../src/cache/elasticache-iam-token.js';
import { BridgeError } from '../../src/errors.js';
import { createManualClock } from '../../src/lib/clock.js';

/** Tokens botocore signed offline; regenerate with scripts/make-elasticache-iam-vector.py. */
const vectorSchema = z.object({
  botocore: z.string(),
  cases: z
    .array(
      z.object({
        name: z.string(),
        cacheName: z.string(),
        userId: z.string(),
        serverless: z.boolean(),
        region: z.string(),
        credentials: z.object({
          accessKeyId: z.string(),
          secretAccessKey: z.string(),
          sessionToken: z.string().optional(),
        }),
        signingDate: z.iso.datetime(),
        expiresSecs: z.literal(900),
        token: z.string(),
      }),
    )
    .min(1),
});
const vector = vectorSchema.parse(
  JSON.parse(readFileSync(new URL('./fixtures/elasticache-iam-vector.json', import.meta.url), 'utf8')),
);

const startMs = Date.UTC(2026, 10, 23, 18, 0, 0);
const longTermKeys: AwsCredentials = {
  accessKeyId: 'AKIDEXAMPLE',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY',
};

function options(overrides: Partial<ElastiCacheAuthTokenOptions> = {}): ElastiCacheAuthTokenOptions {
  return {
    cacheName: 'token-bridge-cache',
    userId: 'token-bridge',
    serverless: false,
    region: 'us-east-1',
    credentials: () => Promise.resolve(longTermKeys),
    clock: createManualClock(startMs),
    ...overrides,
  };
}

/** The token's query parameters, read the way ElastiCache reads the AUTH password. */
function queryOf(token: string): Record<string, string> {
  return Object.fromEntries(new URL(`http://${token}`).searchParams);
}

describe('ElastiCache IAM auth token', () => {
  describe(`compared with botocore ${vector.botocore} presigning the same request`, () => {
    it.each(vector.cases)('gives the identical token for a $name', async (testCase) => {
      const { credentials } = testCase;
      const source = createElastiCacheAuthToken({
        cacheName: testCase.cacheName,
        userId: testCase.userId,
        serverless: testCase.serverless,
        region: testCase.region,
        credentials: () => Promise.resolve(credentials),
        clock: createManualClock(Date.parse(testCase.signingDate)),
      });
      expect(await source()).toBe(testCase.token);
    });
  });

  describe('when it signs a token', () => {
    it('gives the presigned connect URL without a scheme, signed for the cache host, valid 900 seconds', async () => {
      const token = await createElastiCacheAuthToken(options())();
      expect(token.startsWith('token-bridge-cache/?Action=connect&User=token-bridge&')).toBe(true);
      expect(queryOf(token)).toEqual({
        Action: 'connect',
        User: 'token-bridge',
        'X-Amz-Algorithm': 'AWS4-HMAC-SHA256',
        'X-Amz-Credential': 'AKIDEXAMPLE/20261123/us-east-1/elasticache/aws4_request',
        'X-Amz-Date': '20261123T180000Z',
        'X-Amz-Expires': '900',
        'X-Amz-SignedHeaders': 'host',
        'X-Amz-Signature': expect.stringMatching(/^[0-9a-f]{64}$/),
      });
    });

    it('names the serverless resource type only for a serverless cache', async () => {
      const serverless = await createElastiCacheAuthToken(options({ serverless: true }))();
      expect(queryOf(serverless)['ResourceType']).toBe('ServerlessCache');
    });

    it('never carries the secret access key', async () => {
      const token = await createElastiCacheAuthToken(options())();
      expect(token).not.toContain(longTermKeys.secretAccessKey);
      expect(token).not.toContain(encodeURIComponent(longTermKeys.secretAccessKey));
    });
  });

  describe('when time moves on between connections', () => {
    it('signs a fresh token dated at the new time', async () => {
      const clock = createManualClock(startMs);
      const source = createElastiCacheAuthToken(options({ clock }));
      const first = await source();
      clock.advanceMs(5 * 60_000);
      const second = await source();
      expect(queryOf(first)['X-Amz-Date']).toBe('20261123T180000Z');
      expect(queryOf(second)['X-Amz-Date']).toBe('20261123T180500Z');
      expect(queryOf(second)['X-Amz-Signature']).not.toBe(queryOf(first)['X-Amz-Signature']);
    });

    it('signs in the scope of the new day after midnight UTC', async () => {
      const clock = createManualClock(Date.UTC(2026, 10, 23, 23, 59, 59));
      const source = createElastiCacheAuthToken(options({ clock }));
      clock.advanceMs(1_000);
      expect(queryOf(await source())['X-Amz-Credential']).toBe('AKIDEXAMPLE/20261124/us-east-1/elasticache/aws4_request');
    });
  });

  describe('when the credentials rotate', () => {
    it('asks the provider for every token and signs with the keys it has now', async () => {
      const rotated: AwsCredentials = {
        accessKeyId: 'ASIAROTATEDEXAMPLE',
        secretAccessKey: 'rotatedSecretEXAMPLEKEY',
        sessionToken: 'session/token+1=',
      };
      const handedOut = [longTermKeys, rotated, longTermKeys];
      let calls = 0;
      const credentials = () => {
        const next = handedOut[calls % handedOut.length] ?? longTermKeys;
        calls += 1;
        return Promise.resolve(next);
      };
      const source = createElastiCacheAuthToken(options({ credentials }));
      const tokens = [await source(), await source(), await source()];
      expect(calls).toBe(3);
      expect(tokens.map((token) => queryOf(token)['X-Amz-Credential']?.split('/')[0])).toEqual([
        'AKIDEXAMPLE',
        'ASIAROTATEDEXAMPLE',
        'AKIDEXAMPLE',
      ]);
      expect(tokens.map((token) => queryOf(token)['X-Amz-Security-Token'])).toEqual([
        undefined,
        'session/token+1=',
        undefined,
      ]);
      // Same keys, same clock: the only input that changed in between was the credentials.
      expect(tokens[2]).toBe(tokens[0]);
    });
  });

  describe('when the credentials provider fails', () => {
    it('rejects with upstream_failed for aws credentials, keeping the cause', async () => {
      const cause = new Error('no EC2 instance role');
      const source = createElastiCacheAuthToken(options({ credentials: () => Promise.reject(cause) }));
      const error: unknown = await source().then(
        () => undefined,
        (rejection: unknown) => rejection,
      );
      expect(error).toBeInstanceOf(BridgeError);
      expect(error).toMatchObject({ code: 'upstream_failed', upstream: 'aws', operation: 'credentials', cause });
    });
  });

  describe('when a setting is empty', () => {
    it.each(['cacheName', 'userId', 'region'] as const)('refuses an empty %s at once', (setting) => {
      expect(() => createElastiCacheAuthToken(options({ [setting]: '' }))).toThrow(
        expect.objectContaining({ code: 'internal', message: `iamcacheauth: ${setting} must not be empty` }),
      );
    });
  });
});
