import { afterEach, describe, expect, it } from 'vitest';
import { serveOneRequest, stopServedProcess } from '../support/serve-one-request.js';

afterEach(stopServedProcess);

/** Packages only a service with Valkey, KMS or an encrypted shared cache needs. */
const optionalBackends = /\/node_modules\/(@aws-sdk|@smithy|@aws-crypto|iovalkey)\//;

describe('a service with the memory cache and a PEM App key', () => {
  it('loads neither the AWS SDK nor the Valkey client, and vends', async () => {
    const served = await serveOneRequest({});

    expect(served.status).toBe(200);
    expect(served.code).toBe(0);
    expect(served.modules.some((path) => path.includes('/node_modules/fastify/'))).toBe(true);
    expect(served.modules.filter((path) => optionalBackends.test(path))).toEqual([]);
  });
});
