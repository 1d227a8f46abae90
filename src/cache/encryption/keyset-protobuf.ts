import { decodeAesGcmKeyData, encodeAesGcmKey } from './aes-gcm-key.js';
import { KeysetInvalidError } from '../../errors.js';
import {
  aesGcmTypeUrl,
  keyStatuses,
  outputPrefixTypes,
  validateKeyset,
  type Keyset,
  type KeysetKey,
  type KeyStatus,
  type OutputPrefixType,
} from './keyset.js';
import { lastBytes, lastVarint, mergedMessage, readProtobufFields, toInt32, toUint32 } from './protobuf-reader.js';
import { bytesField, varintField } from './protobuf-writer.js';

// tink.proto enum numbers; 0 is UNKNOWN_* in both and is refused.
const statusNumbers = { ENABLED: 1, DISABLED: 2, DESTROYED: 3 } as const satisfies Record<KeyStatus, number>;
const prefixNumbers = { TINK: 1, LEGACY: 2, RAW: 3, CRUNCHY: 4 } as const satisfies Record<OutputPrefixType, number>;
const statusByNumber = new Map(keyStatuses.map((status): [number, KeyStatus] => [statusNumbers[status], status]));
const prefixByNumber = new Map(outputPrefixTypes.map((prefix): [number, OutputPrefixType] => [prefixNumbers[prefix], prefix]));
const symmetricKeyMaterial = 2;

/**
 * Decodes a binary Tink `Keyset` protobuf (what an encrypted keyset's ciphertext holds)
 * and validates it. Unknown fields of every wire type are skipped; a known field with an
 * unexpected wire type counts as unknown, as in protobuf itself.
 *
 * @throws {KeysetInvalidError} and nothing else, whatever the bytes; never quotes key bytes.
 */
export function decodeKeysetProtobuf(bytes: Uint8Array): Keyset {
  const fields = readProtobufFields(bytes);
  const keys = fields.flatMap((field) =>
    field.fieldNumber === 2 && field.wireType === 'bytes' ? [decodeKey(field.value)] : [],
  );
  const keyset: Keyset = { primaryKeyId: toUint32(lastVarint(fields, 1) ?? 0n), keys };
  validateKeyset(keyset);
  return keyset;
}

function decodeKey(bytes: Buffer): KeysetKey {
  const fields = readProtobufFields(bytes);
  const keyId = toUint32(lastVarint(fields, 3) ?? 0n);
  const status = statusByNumber.get(toInt32(lastVarint(fields, 2) ?? 0n));
  if (status === undefined) throw new KeysetInvalidError(`key ${keyId}: unknown status`);
  const outputPrefixType = prefixByNumber.get(toInt32(lastVarint(fields, 4) ?? 0n));
  if (outputPrefixType === undefined) throw new KeysetInvalidError(`key ${keyId}: unknown output prefix type`);
  // Tink strips the material of a destroyed key; whatever is left is never used.
  if (status === 'DESTROYED') return { keyId, status, outputPrefixType, aesKey: Buffer.alloc(0) };
  const keyData = mergedMessage(fields, 1);
  if (keyData === undefined) throw new KeysetInvalidError(`key ${keyId}: key data is missing`);
  const keyDataFields = readProtobufFields(keyData);
  const typeUrl = (lastBytes(keyDataFields, 1) ?? Buffer.alloc(0)).toString('utf8');
  const aesKey = decodeAesGcmKeyData(typeUrl, lastBytes(keyDataFields, 2) ?? Buffer.alloc(0), keyId);
  return { keyId, status, outputPrefixType, aesKey };
}

/**
 * Encodes a keyset as Tink's binary `Keyset` protobuf, omitting proto3 defaults as Tink
 * does. DESTROYED keys are written without key data, so decoding gives them an empty
 * `aesKey`. Used by tests to build encrypted keysets; `decodeKeysetProtobuf` inverts it.
 *
 * @throws {KeysetInvalidError} when the keyset does not pass `validateKeyset`.
 */
export function encodeKeysetProtobuf(keyset: Keyset): Buffer {
  validateKeyset(keyset);
  const keys = keyset.keys.map((key) => bytesField(2, encodeKey(key)));
  return Buffer.concat([...optionalVarint(1, keyset.primaryKeyId), ...keys]);
}

function encodeKey(key: KeysetKey): Buffer {
  const keyData =
    key.status === 'DESTROYED'
      ? []
      : [
          bytesField(
            1,
            Buffer.concat([
              bytesField(1, Buffer.from(aesGcmTypeUrl, 'utf8')),
              bytesField(2, encodeAesGcmKey(key.aesKey)),
              varintField(3, symmetricKeyMaterial),
            ]),
          ),
        ];
  return Buffer.concat([
    ...keyData,
    varintField(2, statusNumbers[key.status]),
    ...optionalVarint(3, key.keyId),
    varintField(4, prefixNumbers[key.outputPrefixType]),
  ]);
}

function optionalVarint(fieldNumber: number, value: number): Buffer[] {
  return value === 0 ? [] : [varintField(fieldNumber, value)];
}
