import { decodeAesGcmKeyData } from './aes-gcm-key.js';
import { KeysetInvalidError } from '../../errors.js';
import {
  keyStatuses,
  outputPrefixTypes,
  validateKeyset,
  type Keyset,
  type KeysetKey,
  type KeyStatus,
} from './keyset.js';
import { decodeLenientBase64 } from './strict-base64.js';

/** A Tink encrypted keyset: the KMS ciphertext of a binary `Keyset` protobuf. */
export interface EncryptedKeyset {
  readonly encryptedKeyset: Buffer;
}

/**
 * Parses a cleartext Tink JSON keyset as `tinkey create-keyset --out-format json` writes
 * it (`primaryKeyId`, `key[]` of `keyData {typeUrl, value, keyMaterialType}`, `status`,
 * `keyId`, `outputPrefixType`) and validates it. `keyMaterialType` is ignored; DESTROYED
 * keys need no `keyData`. Key ids may be numbers (negative ones as older Tink wrote them
 * are read as uint32) or decimal strings, as protobuf JSON allows.
 *
 * @throws {KeysetInvalidError} naming the first problem; never quotes key bytes or the text.
 */
export function parseCleartextKeysetJson(text: string): Keyset {
  const json = parseJsonObject(text, 'cleartext keyset');
  const entries = json.key;
  if (!Array.isArray(entries)) throw new KeysetInvalidError('"key" must be an array');
  const keys = entries.map((entry: unknown, index) => parseKey(entry, index));
  const keyset: Keyset = { primaryKeyId: readUint32(json.primaryKeyId, 'primaryKeyId'), keys };
  validateKeyset(keyset);
  return keyset;
}

/**
 * Parses a Tink encrypted JSON keyset (`{"encryptedKeyset": base64, "keysetInfo": …}`);
 * `keysetInfo` is ignored, since it is unauthenticated metadata.
 *
 * @throws {KeysetInvalidError} when `encryptedKeyset` is missing, empty or not base64.
 */
export function parseEncryptedKeysetJson(text: string): EncryptedKeyset {
  const json = parseJsonObject(text, 'encrypted keyset');
  const encoded = json.encryptedKeyset;
  if (typeof encoded !== 'string') throw new KeysetInvalidError('"encryptedKeyset" must be a base64 string');
  const encryptedKeyset = decodeLenientBase64(encoded);
  if (encryptedKeyset === undefined || encryptedKeyset.length === 0) {
    throw new KeysetInvalidError('"encryptedKeyset" must be non-empty base64');
  }
  return { encryptedKeyset };
}

function parseJsonObject(text: string, what: string): Record<string, unknown> {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    // Deliberately no cause: V8's SyntaxError quotes the text around the fault, which may be key material.
    throw new KeysetInvalidError(`${what} is not valid JSON`);
  }
  if (!isRecord(json)) throw new KeysetInvalidError(`${what} must be a JSON object`);
  return json;
}

function parseKey(entry: unknown, index: number): KeysetKey {
  if (!isRecord(entry)) throw new KeysetInvalidError(`key #${index} must be an object`);
  const keyId = readUint32(entry.keyId, `key #${index} keyId`);
  const status = keyStatuses.find((known) => known === entry.status);
  if (status === undefined) throw new KeysetInvalidError(`key ${keyId}: unknown status`);
  const outputPrefixType = outputPrefixTypes.find((known) => known === entry.outputPrefixType);
  if (outputPrefixType === undefined) throw new KeysetInvalidError(`key ${keyId}: unknown output prefix type`);
  return { keyId, status, outputPrefixType, aesKey: readAesKey(entry.keyData, keyId, status) };
}

function readAesKey(keyData: unknown, keyId: number, status: KeyStatus): Buffer {
  // Tink strips the material of a destroyed key; whatever is left is never used.
  if (status === 'DESTROYED') return Buffer.alloc(0);
  if (!isRecord(keyData)) throw new KeysetInvalidError(`key ${keyId}: "keyData" must be an object`);
  const { typeUrl, value } = keyData;
  if (typeof typeUrl !== 'string') throw new KeysetInvalidError(`key ${keyId}: "keyData.typeUrl" must be a string`);
  if (typeof value !== 'string') throw new KeysetInvalidError(`key ${keyId}: "keyData.value" must be a string`);
  const bytes = decodeLenientBase64(value);
  if (bytes === undefined) throw new KeysetInvalidError(`key ${keyId}: "keyData.value" is not base64`);
  return decodeAesGcmKeyData(typeUrl, bytes, keyId);
}

function readUint32(value: unknown, what: string): number {
  const number = typeof value === 'string' && /^\d{1,10}$/.test(value) ? Number(value) : value;
  if (typeof number !== 'number' || !Number.isInteger(number)) throw new KeysetInvalidError(`${what} must be an integer`);
  // Older Tink wrote key ids above 2^31 as negative int32.
  if (number >= -0x8000_0000 && number < 0) return number >>> 0;
  if (number < 0 || number > 0xffff_ffff) throw new KeysetInvalidError(`${what} is out of the uint32 range`);
  return number;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
