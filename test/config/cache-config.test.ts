import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load-config.js';

const pem = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
const base = {
  JWT_BUILDKITE_ORGANIZATION_SLUG: 'acme',
  BUILDKITE_API_TOKEN: 'bkua_x',
  GITHUB_APP_ID: '1',
  GITHUB_APP_INSTALLATION_ID: '2',
  GITHUB_APP_PRIVATE_KEY: pem,
};
const noFiles = () => {
  throw new Error('no files');
};
const load = (env: Record<string, string>) => loadConfig({ ...base, ...env }, noFiles);
const problems = (env: Record<string, string>) => {
  const result = load(env);
  return result.ok ? [] : result.problems;
};

describe('cache configuration', () => {
  it('reads a Valkey tier with TLS by default', () => {
    const result = load({ CACHE_TYPE: 'valkey', VALKEY_ADDRESS: 'cache:6379', VALKEY_PASSWORD: 'pw' });
    expect(result.ok && result.config.cache.shared).toEqual({
      address: 'cache:6379',
      tls: true,
      username: '',
      password: 'pw',
      iam: undefined,
      encryption: undefined,
    });
  });

  it('reads IAM authentication, forcing TLS on', () => {
    const result = load({
      CACHE_TYPE: 'valkey',
      VALKEY_ADDRESS: 'cache:6379',
      VALKEY_TLS: 'false',
      VALKEY_IAM_ENABLED: 'true',
      VALKEY_USERNAME: 'bridge',
      VALKEY_IAM_CACHE_NAME: 'bridge-cache',
      VALKEY_IAM_SERVERLESS: 'true',
    });
    expect(result.ok && result.config.cache.shared).toMatchObject({ tls: true, iam: { cacheName: 'bridge-cache', serverless: true } });
  });

  it.each([
    [{ CACHE_TYPE: 'valkey' }, 'VALKEY_ADDRESS required when CACHE_TYPE=valkey'],
    [{ CACHE_ENCRYPTION_ENABLED: 'true', CACHE_ENCRYPTION_KEYSET_FILE: '/k.json' }, 'cache encryption requires CACHE_TYPE=valkey'],
    [
      { CACHE_TYPE: 'valkey', VALKEY_ADDRESS: 'c:1', CACHE_ENCRYPTION_ENABLED: 'true' },
      'encryption enabled but no keyset source configured',
    ],
    [
      { CACHE_TYPE: 'valkey', VALKEY_ADDRESS: 'c:1', CACHE_ENCRYPTION_ENABLED: 'true', CACHE_ENCRYPTION_KEYSET_FILE: '/k', CACHE_ENCRYPTION_KEYSET_URI: 'aws-secretsmanager://s' },
      'CACHE_ENCRYPTION_KEYSET_FILE is mutually exclusive',
    ],
    [
      { CACHE_TYPE: 'valkey', VALKEY_ADDRESS: 'c:1', CACHE_ENCRYPTION_ENABLED: 'true', CACHE_ENCRYPTION_KEYSET_URI: 'aws-secretsmanager://s' },
      'CACHE_ENCRYPTION_KMS_ENVELOPE_KEY_URI required',
    ],
    [
      { CACHE_TYPE: 'valkey', VALKEY_ADDRESS: 'c:1', CACHE_ENCRYPTION_ENABLED: 'true', CACHE_ENCRYPTION_KEYSET_URI: 's3://x', CACHE_ENCRYPTION_KMS_ENVELOPE_KEY_URI: 'aws-kms://arn' },
      'invalid secrets manager URI',
    ],
    [{ CACHE_TYPE: 'valkey', VALKEY_ADDRESS: 'c:1', VALKEY_IAM_ENABLED: 'true', VALKEY_IAM_CACHE_NAME: 'x' }, 'VALKEY_USERNAME required'],
    [{ CACHE_TYPE: 'valkey', VALKEY_ADDRESS: 'c:1', VALKEY_IAM_ENABLED: 'true', VALKEY_USERNAME: 'u' }, 'VALKEY_IAM_CACHE_NAME required'],
    [
      { CACHE_TYPE: 'valkey', VALKEY_ADDRESS: 'c:1', VALKEY_IAM_ENABLED: 'true', VALKEY_USERNAME: 'u', VALKEY_IAM_CACHE_NAME: 'x', VALKEY_PASSWORD: 'secret-pw' },
      'VALKEY_PASSWORD must be empty when IAM authentication is enabled',
    ],
  ])('refuses %j', (env, problem) => {
    const found = problems(env);
    expect(found).toEqual(expect.arrayContaining([expect.stringContaining(problem)]));
    expect(found.join('\n')).not.toContain('secret-pw');
  });

  it('lets a KMS key ARN replace the PEM, with a warning when both are set', () => {
    const arn = 'arn:aws:kms:eu-west-1:123456789012:alias/app';
    const both = load({ GITHUB_APP_PRIVATE_KEY_ARN: arn });
    expect(both.ok && both.config.github).toMatchObject({ privateKeyArn: arn, privateKey: undefined });
    expect(both.ok && both.warnings).toEqual([expect.stringContaining('the KMS key signs')]);

    const { GITHUB_APP_PRIVATE_KEY: _pem, ...withoutPem } = base;
    const only = loadConfig({ ...withoutPem, GITHUB_APP_PRIVATE_KEY_ARN: arn }, noFiles);
    expect(only.ok && only.warnings).toEqual([]);
  });
});
