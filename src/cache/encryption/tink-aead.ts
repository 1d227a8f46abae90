import { createCipheriv, createDecipheriv, createSecretKey, randomBytes, type KeyObject } from 'node:crypto';
import { DecryptFailedError } from '../../errors.js';
import { validateKeyset, type Keyset, type KeysetKey } from './keyset.js';

/** Authenticated encryption with associated data: Tink's `Aead` primitive. */
export interface Aead {
  /** Seals `plaintext`, binding it to `associatedData` (which is not encrypted). */
  encrypt(plaintext: Uint8Array, associatedData: Uint8Array): Buffer;
  /**
   * Opens what `encrypt` sealed with the same associated data.
   *
   * @throws {DecryptFailedError} for any ciphertext that does not open, whatever the reason.
   */
  decrypt(ciphertext: Uint8Array, associatedData: Uint8Array): Buffer;
}

const prefixBytes = 5;
const ivBytes = 12;
const tagBytes = 16;

/** One ENABLED key, ready to use; the material lives in a KeyObject, which never prints it. */
interface UsableKey {
  readonly prefix: Buffer;
  readonly algorithm: 'aes-128-gcm' | 'aes-256-gcm';
  readonly secret: KeyObject;
}

/**
 * Tink's AES-GCM AEAD over a whole keyset, wire-compatible with Tink:
 * `prefix || 12-byte IV || ciphertext || 16-byte tag`, where the prefix is
 * `0x01 || key id (4 bytes, big-endian)` for TINK keys, `0x00 || key id` for LEGACY and
 * CRUNCHY keys, and nothing for RAW keys. Invariants: only the primary key encrypts; only
 * ENABLED keys decrypt, those whose prefix matches first, then RAW ones, so a keyset
 * rotated by add → promote → disable still opens older values. IVs are random per call.
 *
 * @throws {KeysetInvalidError} when the keyset does not pass `validateKeyset`.
 */
export function createTinkAead(keyset: Keyset): Aead {
  const primary = usableKey(validateKeyset(keyset));
  const enabled = keyset.keys.filter((key) => key.status === 'ENABLED');
  const prefixed = new Map<string, UsableKey[]>();
  const raw: UsableKey[] = [];
  for (const key of enabled) {
    const usable = usableKey(key);
    if (key.outputPrefixType === 'RAW') {
      raw.push(usable);
      continue;
    }
    const id = usable.prefix.toString('hex');
    prefixed.set(id, [...(prefixed.get(id) ?? []), usable]);
  }

  return {
    encrypt(plaintext, associatedData) {
      const iv = randomBytes(ivBytes);
      const cipher = createCipheriv(primary.algorithm, primary.secret, iv, { authTagLength: tagBytes });
      cipher.setAAD(associatedData);
      const sealed = [cipher.update(plaintext), cipher.final()];
      return Buffer.concat([primary.prefix, iv, ...sealed, cipher.getAuthTag()]);
    },
    decrypt(ciphertext, associatedData) {
      const input = Buffer.from(ciphertext.buffer, ciphertext.byteOffset, ciphertext.byteLength);
      const candidates = prefixed.get(input.subarray(0, prefixBytes).toString('hex')) ?? [];
      for (const key of candidates) {
        const opened = open(key, input.subarray(prefixBytes), associatedData);
        if (opened !== undefined) return opened;
      }
      for (const key of raw) {
        const opened = open(key, input, associatedData);
        if (opened !== undefined) return opened;
      }
      throw new DecryptFailedError();
    },
  };
}

function usableKey(key: KeysetKey): UsableKey {
  return {
    prefix: outputPrefix(key),
    algorithm: key.aesKey.length === 16 ? 'aes-128-gcm' : 'aes-256-gcm',
    secret: createSecretKey(key.aesKey),
  };
}

function outputPrefix(key: KeysetKey): Buffer {
  if (key.outputPrefixType === 'RAW') return Buffer.alloc(0);
  const prefix = Buffer.alloc(prefixBytes);
  prefix.writeUInt8(key.outputPrefixType === 'TINK' ? 0x01 : 0x00, 0);
  prefix.writeUInt32BE(key.keyId, 1);
  return prefix;
}

/** The plaintext, or `undefined` when this key does not open `sealed` (`IV || ciphertext || tag`). */
function open(key: UsableKey, sealed: Buffer, associatedData: Uint8Array): Buffer | undefined {
  if (sealed.length < ivBytes + tagBytes) return undefined;
  const decipher = createDecipheriv(key.algorithm, key.secret, sealed.subarray(0, ivBytes), { authTagLength: tagBytes });
  decipher.setAAD(associatedData);
  decipher.setAuthTag(sealed.subarray(sealed.length - tagBytes));
  const body = decipher.update(sealed.subarray(ivBytes, sealed.length - tagBytes));
  try {
    return Buffer.concat([body, decipher.final()]);
  } catch {
    // A wrong key or tampered bytes: the next candidate may still open it; the caller reports one generic failure.
    return undefined;
  }
}
