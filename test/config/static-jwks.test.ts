import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load-config.js';
import { generateAppKey, minimalEnv, noFiles } from './env-fixtures.js';

const env = minimalEnv(generateAppKey().pkcs1);
const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const publicJwk = { ...publicKey.export({ format: 'jwk' }), kid: 'k1', alg: 'RS256', use: 'sig' };
const privateJwk = { ...privateKey.export({ format: 'jwk' }), kid: 'k1' };

const load = (jwksStatic: string) => loadConfig({ ...env, JWT_JWKS_STATIC: jwksStatic }, noFiles);
const refusal = { ok: false, problems: [expect.stringMatching(/^JWT_JWKS_STATIC\b/)] };

describe('JWT_JWKS_STATIC', () => {
  it('accepts a JWKS', () => {
    expect(load(JSON.stringify({ keys: [publicJwk] }))).toMatchObject({
      ok: true,
      config: { oidc: { jwksStatic: { keys: [publicJwk] } } },
    });
  });

  it('accepts a single JWK as a key set of one', () => {
    expect(load(JSON.stringify(publicJwk))).toMatchObject({
      ok: true,
      config: { oidc: { jwksStatic: { keys: [publicJwk] } } },
    });
  });

  it.each([
    ['invalid JSON', '{"keys": ['],
    ['an empty key set', '{"keys": []}'],
    ['a non-RSA key', JSON.stringify({ kty: 'EC', crv: 'P-256', x: 'AA', y: 'AA' })],
    ['a JSON array', '[]'],
    ['a JSON string', '"key"'],
  ])('refuses %s', (_case, value) => {
    expect(load(value)).toEqual(refusal);
  });

  it('refuses a private JWK without quoting it', () => {
    const result = load(JSON.stringify({ keys: [privateJwk] }));
    expect(result).toEqual(refusal);
    expect(JSON.stringify(result)).not.toContain(String(privateJwk.d));
  });
});
