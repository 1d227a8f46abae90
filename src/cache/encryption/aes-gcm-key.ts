import { KeysetInvalidError } from '../../errors.js';
import { aesGcmTypeUrl } from './keyset.js';
import { lastBytes, lastVarint, readProtobufFields, toUint32 } from './protobuf-reader.js';
import { bytesField } from './protobuf-writer.js';

// AesGcmKey: 1 version (uint32), 2 params (unused by AES-GCM), 3 key_value (bytes).
const versionField = 1;
const keyValueField = 3;

/**
 * The raw AES key inside one keyset entry's key data, after checking the key type is
 * AES-GCM and the AesGcmKey protobuf is version 0 (the only one Tink defines). The key
 * size is checked by `validateKeyset`.
 *
 * @returns a copy of the key bytes, owned by the caller.
 * @throws {KeysetInvalidError} naming `keyId` for another key type, a malformed protobuf
 *   or an unknown version; never quoting the bytes.
 */
export function decodeAesGcmKeyData(typeUrl: string, value: Uint8Array, keyId: number): Buffer {
  if (typeUrl !== aesGcmTypeUrl) {
    // A type URL names a public key type, not key material; cut short in case it is garbage.
    throw new KeysetInvalidError(`key ${keyId}: unsupported key type ${JSON.stringify(typeUrl.slice(0, 100))}`);
  }
  const fields = readProtobufFields(value);
  const version = toUint32(lastVarint(fields, versionField) ?? 0n);
  if (version !== 0) throw new KeysetInvalidError(`key ${keyId}: unsupported AesGcmKey version ${version}`);
  return Buffer.from(lastBytes(fields, keyValueField) ?? Buffer.alloc(0));
}

/** The AesGcmKey protobuf for `aesKey` at version 0: `1a <length> <key>`, as Tink writes it. */
export function encodeAesGcmKey(aesKey: Uint8Array): Buffer {
  return bytesField(keyValueField, aesKey);
}
