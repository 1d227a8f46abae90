import { generateKeyPairSync } from 'node:crypto';
import { decodeProtectedHeader, jwtVerify } from 'jose';
import { describe, expect, it } from 'vitest';
import { verifyAppJwt } from '../../src/dev/verify-app-jwt.js';
import { UpstreamFailedError } from '../../src/errors.js';
import { createAppJwtSource } from '../../src/github/app-jwt.js';
import { createPemSigner, type Rs256Signer } from '../../src/github/rs256-signer.js';
import { createManualClock } from '../../src/lib/clock.js';

const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const startMs = Date.UTC(2026, 10, 23, 18, 0, 0);
const startSecs = startMs / 1000;

/** The real PEM signer, counting how often it signs. */
function countingSigner(inner: Rs256Signer = createPemSigner(privateKey)) {
  const counter = { calls: 0 };
  const signer: Rs256Signer = {
    sign: (data) => {
      counter.calls += 1;
      return inner.sign(data);
    },
  };
  return { signer, counter };
}

describe('GitHub App JWT source', () => {
  describe('when it signs a JWT', () => {
    it('gives an RS256 JWT without kid, iss the App id, iat backdated a minute, at most 10 minutes long', async () => {
      const clock = createManualClock(startMs);
      const jwt = await createAppJwtSource({ appId: '123456', signer: createPemSigner(privateKey), clock })();
      const { payload } = await jwtVerify(jwt, publicKey, { algorithms: ['RS256'], currentDate: new Date(startMs) });
      expect(decodeProtectedHeader(jwt)).toEqual({ alg: 'RS256', typ: 'JWT' });
      expect(payload).toEqual({ iss: '123456', iat: startSecs - 60, exp: expect.any(Number) });
      expect((payload.exp ?? 0) - (payload.iat ?? 0)).toBeLessThanOrEqual(600);
      expect(payload.exp).toBeGreaterThan(startSecs + 60);
    });

    it('is accepted by the App JWT check the GitHub stand-in makes', async () => {
      const clock = createManualClock(startMs);
      const jwt = await createAppJwtSource({ appId: '123456', signer: createPemSigner(privateKey), clock })();
      await expect(verifyAppJwt(jwt, { publicKey, appId: '123456', nowMs: startMs })).resolves.toBe(true);
    });
  });

  describe('when it is asked again', () => {
    it('reuses the JWT until a minute before it expires, then signs a new one', async () => {
      const clock = createManualClock(startMs);
      const { signer, counter } = countingSigner();
      const source = createAppJwtSource({ appId: '123456', signer, clock });
      const first = await source();
      const { exp = 0 } = (await jwtVerify(first, publicKey, { currentDate: new Date(startMs) })).payload;

      clock.setMs((exp - 60) * 1000 - 1);
      await expect(source()).resolves.toBe(first);
      expect(counter.calls).toBe(1);

      clock.setMs((exp - 60) * 1000);
      const second = await source();
      expect(second).not.toBe(first);
      expect(counter.calls).toBe(2);
      await expect(verifyAppJwt(second, { publicKey, appId: '123456', nowMs: clock.nowMs() })).resolves.toBe(true);
    });

    it('shares one signing among concurrent callers', async () => {
      const { signer, counter } = countingSigner();
      const source = createAppJwtSource({ appId: '1', signer, clock: createManualClock(startMs) });
      const jwts = await Promise.all(Array.from({ length: 10 }, () => source()));
      expect(new Set(jwts).size).toBe(1);
      expect(counter.calls).toBe(1);
    });
  });

  describe('when the signer fails', () => {
    it('reports a local signer failure as internal, and tries again on the next call', async () => {
      let fail = true;
      const flaky: Rs256Signer = {
        sign: (data) => (fail ? Promise.reject(new Error('key unusable')) : createPemSigner(privateKey).sign(data)),
      };
      const source = createAppJwtSource({ appId: '1', signer: flaky, clock: createManualClock(startMs) });
      await expect(source()).rejects.toMatchObject({ code: 'internal' });
      fail = false;
      await expect(source()).resolves.toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
    });

    it('passes a remote signer failure through as it is', async () => {
      const failure = new UpstreamFailedError('github', 'kms sign', 'HTTP 500');
      const remote: Rs256Signer = { sign: () => Promise.reject(failure) };
      const source = createAppJwtSource({ appId: '1', signer: remote, clock: createManualClock(startMs) });
      await expect(source()).rejects.toBe(failure);
    });

    it('keeps serving the current JWT while it lasts when renewing fails (a short KMS outage)', async () => {
      const clock = createManualClock(startMs);
      let down = false;
      const pem = createPemSigner(privateKey);
      const signer: Rs256Signer = {
        sign: (data) => (down ? Promise.reject(new UpstreamFailedError('kms', 'sign', 'HTTP 500')) : pem.sign(data)),
      };
      const source = createAppJwtSource({ appId: '1', signer, clock });
      const first = await source();

      down = true;
      clock.advanceMs(8.5 * 60_000);
      await expect(source()).resolves.toBe(first);
      clock.advanceMs(60_000);
      await expect(source()).rejects.toMatchObject({ code: 'upstream_failed' });
    });
  });
});
