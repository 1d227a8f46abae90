import { parseAwsKeysetUris } from '../cache/encryption/aws-keyset-uris.js';
import type { ParsedEnv } from './env-schema.js';

/** Where the encryption keyset of the shared cache comes from. */
export type KeysetSource =
  | { readonly kind: 'file'; readonly path: string }
  | { readonly kind: 'aws'; readonly keysetUri: string; readonly kmsKeyUri: string };

/** The shared (Valkey) tier, when `CACHE_TYPE=valkey`. */
export interface SharedCacheConfig {
  readonly address: string;
  readonly tls: boolean;
  readonly username: string;
  readonly password: string | undefined;
  /** ElastiCache IAM authentication: a fresh SigV4 token per connection. */
  readonly iam: { readonly cacheName: string; readonly serverless: boolean } | undefined;
  readonly encryption: KeysetSource | undefined;
}

export type SharedCacheResult = { ok: true; shared: SharedCacheConfig | undefined } | { ok: false; problems: string[] };

/**
 * The cache settings with Chinmina's cross-field rules: encryption needs Valkey and exactly
 * one keyset source (the AWS pair together); Valkey needs an address; IAM needs a username
 * and a cache name, refuses a password, and forces TLS on. Every broken rule is reported.
 */
export function sharedCacheConfig(values: ParsedEnv): SharedCacheResult {
  const problems: string[] = [];
  const type = values.CACHE_TYPE;
  if (type !== 'memory' && type !== 'valkey') {
    problems.push(`CACHE_TYPE: invalid cache type "${type}": must be either "memory" or "valkey"`);
  }
  const encryption = values.CACHE_ENCRYPTION_ENABLED ? keysetSource(values, problems) : undefined;
  if (values.CACHE_ENCRYPTION_ENABLED && type !== 'valkey') problems.push('cache encryption requires CACHE_TYPE=valkey');
  if (type !== 'valkey') return problems.length > 0 ? { ok: false, problems } : { ok: true, shared: undefined };

  if (values.VALKEY_ADDRESS === '') problems.push('VALKEY_ADDRESS required when CACHE_TYPE=valkey');
  const iamEnabled = values.VALKEY_IAM_ENABLED;
  if (iamEnabled) {
    if (values.VALKEY_USERNAME === '') problems.push('VALKEY_USERNAME required as IAM user ID when VALKEY_IAM_ENABLED=true');
    if (values.VALKEY_IAM_CACHE_NAME === '') problems.push('VALKEY_IAM_CACHE_NAME required when VALKEY_IAM_ENABLED=true');
    if (values.VALKEY_PASSWORD !== undefined) problems.push('VALKEY_PASSWORD must be empty when IAM authentication is enabled');
  }
  if (problems.length > 0) return { ok: false, problems };
  return {
    ok: true,
    shared: {
      address: values.VALKEY_ADDRESS,
      tls: iamEnabled || values.VALKEY_TLS,
      username: values.VALKEY_USERNAME,
      password: values.VALKEY_PASSWORD,
      iam: iamEnabled ? { cacheName: values.VALKEY_IAM_CACHE_NAME, serverless: values.VALKEY_IAM_SERVERLESS } : undefined,
      encryption,
    },
  };
}

function keysetSource(values: ParsedEnv, problems: string[]): KeysetSource | undefined {
  const file = values.CACHE_ENCRYPTION_KEYSET_FILE;
  const keysetUri = values.CACHE_ENCRYPTION_KEYSET_URI;
  const kmsKeyUri = values.CACHE_ENCRYPTION_KMS_ENVELOPE_KEY_URI;
  if (file !== '' && (keysetUri !== '' || kmsKeyUri !== '')) {
    problems.push(
      'CACHE_ENCRYPTION_KEYSET_FILE is mutually exclusive with CACHE_ENCRYPTION_KEYSET_URI/CACHE_ENCRYPTION_KMS_ENVELOPE_KEY_URI',
    );
    return undefined;
  }
  if (file !== '') return { kind: 'file', path: file };
  if (keysetUri === '' && kmsKeyUri === '') {
    problems.push('encryption enabled but no keyset source configured: set CACHE_ENCRYPTION_KEYSET_FILE, or CACHE_ENCRYPTION_KEYSET_URI with CACHE_ENCRYPTION_KMS_ENVELOPE_KEY_URI');
    return undefined;
  }
  if (keysetUri === '') problems.push('CACHE_ENCRYPTION_KEYSET_URI required when CACHE_ENCRYPTION_KMS_ENVELOPE_KEY_URI is set');
  if (kmsKeyUri === '') problems.push('CACHE_ENCRYPTION_KMS_ENVELOPE_KEY_URI required when CACHE_ENCRYPTION_KEYSET_URI is set');
  if (keysetUri !== '' && kmsKeyUri !== '') {
    const uris = parseAwsKeysetUris({ secretUri: keysetUri, kmsKeyUri });
    if (!uris.ok) problems.push(...uris.problems);
  }
  return keysetUri !== '' && kmsKeyUri !== '' ? { kind: 'aws', keysetUri, kmsKeyUri } : undefined;
}
