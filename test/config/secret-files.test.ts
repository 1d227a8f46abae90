import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load-config.js';
import { resolveSecretFiles } from '../../src/config/secret-files.js';
import { filesFrom, generateAppKey, minimalEnv, noFiles } from './env-fixtures.js';

const key = generateAppKey();
const { GITHUB_APP_PRIVATE_KEY: _inline, ...withoutKey } = minimalEnv(key.pkcs1);

describe('_FILE secrets', () => {
  describe('when only NAME_FILE is set', () => {
    it('reads the file, trimmed, into NAME', () => {
      const readFile = filesFrom({ '/run/secrets/key.pem': `\n  ${key.pkcs1}\n\n` });
      const resolved = resolveSecretFiles({ GITHUB_APP_PRIVATE_KEY_FILE: '/run/secrets/key.pem' }, readFile);
      expect(resolved).toEqual({
        env: { GITHUB_APP_PRIVATE_KEY_FILE: '/run/secrets/key.pem', GITHUB_APP_PRIVATE_KEY: key.pkcs1.trim() },
        problems: [],
      });
    });

    it('loads a configuration with the key from the file', () => {
      const readFile = filesFrom({ '/run/secrets/key.pem': key.pkcs8 });
      const result = loadConfig({ ...withoutKey, GITHUB_APP_PRIVATE_KEY_FILE: '/run/secrets/key.pem' }, readFile);
      expect(result.ok && result.config.github.privateKey?.asymmetricKeyType).toBe('rsa');
    });

    it('reads JWT_JWKS_STATIC_FILE the same way', () => {
      const jwks = '{"keys":[{"kty":"RSA","n":"AQAB","e":"AQAB"}]}';
      const resolved = resolveSecretFiles({ JWT_JWKS_STATIC_FILE: '/jwks.json' }, filesFrom({ '/jwks.json': ` ${jwks} ` }));
      expect(resolved.env.JWT_JWKS_STATIC).toBe(jwks);
    });
  });

  describe('when NAME and NAME_FILE are both set', () => {
    it('refuses both, without reading the file', () => {
      const result = loadConfig({ ...minimalEnv(key.pkcs1), GITHUB_APP_PRIVATE_KEY_FILE: '/key.pem' }, noFiles);
      expect(result).toEqual({
        ok: false,
        problems: ['GITHUB_APP_PRIVATE_KEY and GITHUB_APP_PRIVATE_KEY_FILE are mutually exclusive'],
      });
    });
  });

  describe('when the file cannot be read', () => {
    it('names the path and the error code, not the error text', () => {
      const result = loadConfig({ ...withoutKey, GITHUB_APP_PRIVATE_KEY_FILE: '/missing.pem' }, filesFrom({}));
      expect(result).toEqual({
        ok: false,
        problems: expect.arrayContaining(['GITHUB_APP_PRIVATE_KEY_FILE: cannot read "/missing.pem" (ENOENT)']),
      });
    });
  });

  describe('when the file is empty or blank', () => {
    it.each(['', ' \n\t '])('refuses %j as empty', (contents) => {
      const resolved = resolveSecretFiles({ GITHUB_APP_PRIVATE_KEY_FILE: '/key.pem' }, filesFrom({ '/key.pem': contents }));
      expect(resolved.problems).toEqual(['GITHUB_APP_PRIVATE_KEY_FILE at "/key.pem" is empty']);
      expect(resolved.env.GITHUB_APP_PRIVATE_KEY).toBeUndefined();
    });
  });

  describe('when NAME_FILE is empty', () => {
    it('is ignored and NAME is used', () => {
      const env = { ...minimalEnv(key.pkcs1), GITHUB_APP_PRIVATE_KEY_FILE: '' };
      expect(loadConfig(env, noFiles).ok).toBe(true);
    });
  });

  describe('when a variable is not on the allow-list', () => {
    it('does not read VALKEY_PASSWORD_FILE', () => {
      const resolved = resolveSecretFiles({ VALKEY_PASSWORD_FILE: '/password' }, noFiles);
      expect(resolved).toEqual({ env: { VALKEY_PASSWORD_FILE: '/password' }, problems: [] });
    });
  });
});
