import { CacheValueUndecodableError, DecryptFailedError } from '../../errors.js';
import { decodeStrictBase64 } from './strict-base64.js';
import type { Aead } from './tink-aead.js';

/**
 * How the cache tier turns a logical key and value into what is stored (Chinmina §8.5).
 * Invariant: `decode(k, encode(k, v)) === v`, and the storage keys of two codecs never
 * collide, so plaintext and encrypted entries cannot be mistaken for each other.
 */
export interface CacheValueCodec {
  /** The key the value is stored under. */
  storageKey(logicalKey: string): string;
  /** The stored form of `plaintext`. */
  encode(logicalKey: string, plaintext: string): string;
  /**
   * The plaintext of a stored value.
   *
   * @throws {CacheValueUndecodableError} (encrypted codec only) for a value this codec did
   *   not write for this logical key.
   */
  decode(logicalKey: string, stored: string): string;
}

/** Stores keys and values as they are: the codec when cache encryption is off. */
export const plaintextCodec: CacheValueCodec = {
  storageKey: (logicalKey) => logicalKey,
  encode: (_logicalKey, plaintext) => plaintext,
  decode: (_logicalKey, stored) => stored,
};

/** Prefix of every encrypted storage key, keeping encrypted entries apart from plaintext ones. */
export const encryptedKeyPrefix = 'enc:';
/** Prefix of every encrypted value, as Chinmina writes it. */
export const encryptedValuePrefix = 'cb-enc:';

/**
 * Chinmina-compatible encrypted values: stored under `enc:` + logical key as `cb-enc:` +
 * standard padded base64 of the Tink AEAD ciphertext. The associated data is the logical
 * key's UTF-8 bytes (without `enc:`), so a value copied to another key does not decrypt:
 * an attacker with write access to the cache cannot hand one pipeline another's token.
 *
 * `currentAead` is asked on every call, so a refreshed keyset takes effect at once.
 */
export function createEncryptedCodec(currentAead: () => Aead): CacheValueCodec {
  return {
    storageKey: (logicalKey) => `${encryptedKeyPrefix}${logicalKey}`,
    encode(logicalKey, plaintext) {
      const sealed = currentAead().encrypt(Buffer.from(plaintext, 'utf8'), Buffer.from(logicalKey, 'utf8'));
      return `${encryptedValuePrefix}${sealed.toString('base64')}`;
    },
    decode(logicalKey, stored) {
      if (!stored.startsWith(encryptedValuePrefix)) throw new CacheValueUndecodableError('missing_prefix');
      const sealed = decodeStrictBase64(stored.slice(encryptedValuePrefix.length));
      if (sealed === undefined) throw new CacheValueUndecodableError('invalid_base64');
      try {
        return currentAead().decrypt(sealed, Buffer.from(logicalKey, 'utf8')).toString('utf8');
      } catch (err) {
        if (err instanceof DecryptFailedError) throw new CacheValueUndecodableError('decrypt_failed', { cause: err });
        throw err;
      }
    },
  };
}
