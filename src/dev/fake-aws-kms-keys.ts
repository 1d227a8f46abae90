import { createPublicKey, generateKeyPairSync, randomBytes, randomUUID, type KeyObject } from 'node:crypto';
import { StandInUsageError } from './stand-in-usage-error.js';

/** A KMS key the fake holds, as a test names it. */
export interface FakeKmsKey {
  /** The key id (a UUID), e.g. `1234abcd-…`. */
  readonly keyId: string;
  /** `arn:aws:kms:<region>:<account>:key/<keyId>`. */
  readonly arn: string;
}

/** An RSA signing key (`SIGN_VERIFY`, RSA_2048 or whatever size the private key has). */
export interface FakeKmsSigningKey extends FakeKmsKey {
  /** The alias pointing at the key, e.g. `alias/app-key`. */
  readonly aliasName: string;
  /** `arn:aws:kms:<region>:<account>:alias/<name>`. */
  readonly aliasArn: string;
  /** The public half, for verifying what KMS signed. */
  readonly publicKey: KeyObject;
}

/** A key as the fake stores it; `enabled` is the only mutable part. */
export type StoredKmsKey = { readonly keyId: string; readonly arn: string; enabled: boolean } & (
  | { readonly kind: 'signing'; readonly privateKey: KeyObject; readonly publicKey: KeyObject }
  | { readonly kind: 'symmetric'; readonly secret: Buffer }
);

/** The fake's keys and aliases. */
export interface KmsKeyStore {
  /** Adds an RSA signing key and points `alias/<aliasName>` at it (moving the alias if taken). */
  addSigningKey(privateKey: KeyObject | undefined, aliasName: string): FakeKmsSigningKey;
  /** Adds a `SYMMETRIC_DEFAULT` (AES-256-GCM) encryption key. */
  addSymmetricKey(): FakeKmsKey;
  /** The key a `KeyId` names: key id, key ARN, alias name or alias ARN; undefined if none. */
  resolve(keyId: string): StoredKmsKey | undefined;
}

/** Creates an empty key store whose ARNs carry `region` and `accountId`. */
export function createKmsKeyStore(where: { readonly region: string; readonly accountId: string }): KmsKeyStore {
  const arnPrefix = `arn:aws:kms:${where.region}:${where.accountId}:`;
  const keys = new Map<string, StoredKmsKey>();
  const aliases = new Map<string, string>();

  const resolveId = (keyId: string): string | undefined => {
    const local = keyId.startsWith(arnPrefix) ? keyId.slice(arnPrefix.length) : keyId;
    if (local.startsWith('alias/')) return aliases.get(local);
    if (local.startsWith('key/')) return local.slice('key/'.length);
    // A bare key id; any other ARN (another region or account) names no key here.
    return keyId.startsWith('arn:') ? undefined : local;
  };

  return {
    addSigningKey: (given, aliasName) => {
      const privateKey = given ?? generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
      if (privateKey.type !== 'private' || privateKey.asymmetricKeyType !== 'rsa') {
        throw new StandInUsageError('a fake KMS signing key must be an RSA private key');
      }
      const keyId = randomUUID();
      const publicKey = createPublicKey(privateKey);
      keys.set(keyId, { kind: 'signing', keyId, arn: `${arnPrefix}key/${keyId}`, enabled: true, privateKey, publicKey });
      aliases.set(`alias/${aliasName}`, keyId);
      return {
        keyId,
        arn: `${arnPrefix}key/${keyId}`,
        aliasName: `alias/${aliasName}`,
        aliasArn: `${arnPrefix}alias/${aliasName}`,
        publicKey,
      };
    },
    addSymmetricKey: () => {
      const keyId = randomUUID();
      const arn = `${arnPrefix}key/${keyId}`;
      keys.set(keyId, { kind: 'symmetric', keyId, arn, enabled: true, secret: randomBytes(32) });
      return { keyId, arn };
    },
    resolve: (keyId) => {
      const id = resolveId(keyId);
      return id === undefined ? undefined : keys.get(id);
    },
  };
}
