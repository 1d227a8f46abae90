import { generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import fc from 'fast-check';
import { exportJWK, jwtVerify } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { createStaticKeyResolver, type KeyResolver } from '../../src/oidc/key-resolver.js';
import { checkRegisteredClaims } from '../../src/oidc/registered-claims.js';
import { rememberedKeyObjects, verifyRs256Jws } from '../../src/oidc/rs256-jws.js';

const issuer = 'https://agent.buildkite.com';
const audience = 'chinmina:acme';
const nowMs = Date.UTC(2026, 10, 23, 18, 0, 0, 640);
const nowSecs = Math.floor(nowMs / 1000);
const toleranceSecs = 5;
const b64 = (value: unknown) => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');

/** A compact JWS with any header, signed RS256 by `key` whatever the header claims. */
function signCompact(header: unknown, payload: unknown, key: KeyObject): string {
  const input = `${b64(header)}.${b64(payload)}`;
  return `${input}.${sign('sha256', Buffer.from(input), key).toString('base64url')}`;
}

async function keySetOf(publicKey: KeyObject): Promise<KeyResolver> {
  return createStaticKeyResolver({ keys: [{ ...(await exportJWK(publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' }] });
}

/** Ours: the signature, then the registered claims; `true` when the token is accepted. */
async function oursAccepts(token: string, keys: KeyResolver): Promise<boolean> {
  try {
    const payload = await verifyRs256Jws(token, keys, rememberedKeyObjects());
    checkRegisteredClaims(payload, { issuer, audience, toleranceSecs }, nowMs);
    return true;
  } catch (error) {
    expect(error).toMatchObject({ code: 'token_invalid' });
    return false;
  }
}

/** jose's `jwtVerify` with the options the verifier used before, plus its `iat` rule. */
async function joseAccepts(token: string, keys: KeyResolver): Promise<boolean> {
  try {
    const { payload } = await jwtVerify(token, keys, {
      algorithms: ['RS256'],
      issuer,
      audience,
      clockTolerance: toleranceSecs,
      currentDate: new Date(nowMs),
      requiredClaims: ['exp', 'nbf', 'sub'],
    });
    return !(typeof payload.iat === 'number' && payload.iat > nowMs / 1000 + toleranceSecs);
  } catch {
    return false;
  }
}

describe('RS256 compact JWS verification', () => {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const foreign = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
  let keys: KeyResolver;
  const claims = { iss: issuer, aud: audience, sub: 'organization:acme', nbf: nowSecs, iat: nowSecs, exp: nowSecs + 300 };

  beforeAll(async () => {
    keys = await keySetOf(publicKey);
  });

  describe('when the token is signed by the key set and its claims hold', () => {
    it('answers the payload', async () => {
      const token = signCompact({ alg: 'RS256', kid: 'k1' }, claims, privateKey);
      await expect(verifyRs256Jws(token, keys, rememberedKeyObjects())).resolves.toEqual(claims);
    });
  });

  describe('when the token must be refused', () => {
    const refusals: [string, () => string][] = [
      ['a header with crit', () => signCompact({ alg: 'RS256', kid: 'k1', crit: ['exp'], exp: 1 }, claims, privateKey)],
      ['an RS512 header', () => signCompact({ alg: 'RS512', kid: 'k1' }, claims, privateKey)],
      ['a header that is not an object', () => signCompact(['RS256'], claims, privateKey)],
      ['a payload that is not an object', () => signCompact({ alg: 'RS256', kid: 'k1' }, [claims], privateKey)],
      ['a payload that is not JSON', () => signCompact({ alg: 'RS256', kid: 'k1' }, '{"iss":', privateKey)],
      ['four parts', () => `${signCompact({ alg: 'RS256', kid: 'k1' }, claims, privateKey)}.e30`],
      ['a part that is not base64url', () => signCompact({ alg: 'RS256', kid: 'k1' }, claims, privateKey).replace('.', '.+')],
      ['a foreign signature', () => signCompact({ alg: 'RS256', kid: 'k1' }, claims, foreign)],
      ['an empty signature', () => `${b64({ alg: 'RS256', kid: 'k1' })}.${b64(claims)}.`],
    ];
    it.each(refusals)('refuses %s', async (_name, tokenOf) => {
      await expect(verifyRs256Jws(tokenOf(), keys, rememberedKeyObjects())).rejects.toMatchObject({ code: 'token_invalid' });
    });

    it('refuses a key under 2048 bits, though the signature is right', async () => {
      const small = generateKeyPairSync('rsa', { modulusLength: 1024 });
      const token = signCompact({ alg: 'RS256', kid: 'k1' }, claims, small.privateKey);
      await expect(verifyRs256Jws(token, () => small.publicKey, rememberedKeyObjects())).rejects.toMatchObject({ code: 'token_invalid' });
    });
  });

  describe('compared with jose jwtVerify', () => {
    // Mostly the valid value, so that accepted tokens are common too.
    const mostly = <T,>(valid: T, ...others: T[]) =>
      fc.oneof({ weight: 3, arbitrary: fc.constant(valid) }, { weight: 1, arbitrary: fc.constantFrom(...others) });
    const offset = fc.oneof(fc.integer({ min: -8, max: 8 }), fc.integer({ min: -400, max: 400 }));
    const timeClaim = fc.oneof(
      { weight: 6, arbitrary: offset.map((delta) => nowSecs + delta) },
      { weight: 1, arbitrary: fc.constantFrom(undefined, null, '1800000000', nowSecs + 0.5) },
    );
    const tokenParts = fc.record({
      alg: mostly('RS256', 'none', 'HS256', 'PS256'),
      iss: mostly<string | undefined>(issuer, `${issuer}/`, undefined),
      aud: mostly<unknown>(audience, [audience, 'other'], ['other'], 'other', undefined, [], 7),
      sub: mostly<string | undefined>('organization:acme', '', undefined),
      nbf: timeClaim,
      exp: timeClaim,
      iat: timeClaim,
      foreign: mostly(false, true),
    });

    it('accepts and refuses the same tokens', async () => {
      let accepted = 0;
      await fc.assert(
        fc.asyncProperty(tokenParts, async ({ alg, foreign: byForeignKey, ...payload }) => {
          const present = Object.fromEntries(Object.entries(payload).filter(([, value]) => value !== undefined));
          const token = signCompact({ alg, kid: 'k1' }, present, byForeignKey ? foreign : privateKey);
          const ours = await oursAccepts(token, keys);
          expect(ours).toBe(await joseAccepts(token, keys));
          if (ours) accepted += 1;
        }),
        { numRuns: 300 },
      );
      // Both kinds of answer were compared, not only refusals.
      expect(accepted).toBeGreaterThan(10);
    });
  });
});
