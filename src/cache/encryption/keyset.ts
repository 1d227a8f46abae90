import { KeysetInvalidError } from '../../errors.js';

/** The only key type this keyset model holds: Tink's AES-GCM AEAD key. */
export const aesGcmTypeUrl = 'type.googleapis.com/google.crypto.tink.AesGcmKey';

/** Tink key status; only ENABLED keys encrypt or decrypt. */
export type KeyStatus = 'ENABLED' | 'DISABLED' | 'DESTROYED';

/** Tink output prefix: what precedes the AES-GCM ciphertext on the wire. */
export type OutputPrefixType = 'TINK' | 'RAW' | 'LEGACY' | 'CRUNCHY';

export const keyStatuses: readonly KeyStatus[] = ['ENABLED', 'DISABLED', 'DESTROYED'];
export const outputPrefixTypes: readonly OutputPrefixType[] = ['TINK', 'RAW', 'LEGACY', 'CRUNCHY'];

/** One AES-GCM key of a keyset. */
export interface KeysetKey {
  /** uint32, as Tink's `key_id`. */
  readonly keyId: number;
  readonly status: KeyStatus;
  readonly outputPrefixType: OutputPrefixType;
  /**
   * The raw AES key: 16 or 32 bytes for ENABLED and DISABLED keys. Empty for a DESTROYED
   * key, whose material Tink removes (and which we never read).
   */
  readonly aesKey: Buffer;
}

/** A Tink keyset of AES-GCM keys, as decoded from tinkey JSON or the binary protobuf. */
export interface Keyset {
  /** uint32: the key id of the one ENABLED key that encrypts. */
  readonly primaryKeyId: number;
  readonly keys: readonly KeysetKey[];
}

const aesKeySizesBytes: readonly number[] = [16, 32];

/** True for integers representable as Tink's uint32 key ids. */
export function isUint32(value: number): boolean {
  return Number.isInteger(value) && value >= 0 && value <= 0xffff_ffff;
}

/**
 * Checks a keyset the way Tink does before building a primitive: every key has a uint32
 * id and known status and prefix; every ENABLED or DISABLED key holds 16 or 32 bytes;
 * exactly one ENABLED key carries the primary key id.
 *
 * @returns the primary key.
 * @throws {KeysetInvalidError} naming the first problem by key id, never by key bytes.
 */
export function validateKeyset(keyset: Keyset): KeysetKey {
  if (!isUint32(keyset.primaryKeyId)) throw new KeysetInvalidError('primary key id is not a uint32');
  for (const [index, key] of keyset.keys.entries()) {
    if (!isUint32(key.keyId)) throw new KeysetInvalidError(`key #${index}: key id is not a uint32`);
    if (!keyStatuses.includes(key.status)) throw new KeysetInvalidError(`key ${key.keyId}: unknown status`);
    if (!outputPrefixTypes.includes(key.outputPrefixType)) {
      throw new KeysetInvalidError(`key ${key.keyId}: unknown output prefix type`);
    }
    if (key.status !== 'DESTROYED' && !aesKeySizesBytes.includes(key.aesKey.length)) {
      throw new KeysetInvalidError(`key ${key.keyId}: AES key must be 16 or 32 bytes, got ${key.aesKey.length}`);
    }
  }
  const primaries = keyset.keys.filter((key) => key.keyId === keyset.primaryKeyId && key.status === 'ENABLED');
  if (primaries.length > 1) throw new KeysetInvalidError(`multiple ENABLED keys carry primary key id ${keyset.primaryKeyId}`);
  const [primary] = primaries;
  if (primary === undefined) {
    const present = keyset.keys.some((key) => key.keyId === keyset.primaryKeyId);
    throw new KeysetInvalidError(
      present ? `primary key ${keyset.primaryKeyId} is not ENABLED` : `primary key ${keyset.primaryKeyId} is missing`,
    );
  }
  return primary;
}
