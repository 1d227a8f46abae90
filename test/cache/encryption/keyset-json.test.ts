import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { encodeAesGcmKey } from '../../../src/cache/encryption/aes-gcm-key.js';
import { KeysetInvalidError } from '../../../src/errors.js';
import { parseCleartextKeysetJson, parseEncryptedKeysetJson } from '../../../src/cache/encryption/keyset-json.js';
import { aesGcmTypeUrl } from '../../../src/cache/encryption/keyset.js';
import { thrownBy, tinkVectors } from './encryption-fixtures.js';

const example = tinkVectors.tinkeyExampleKeyset;
const exampleKey = example.key[0];

/** A one-key tinkey-style JSON keyset with the given key entry fields replaced. */
function keysetJson(entry: Record<string, unknown> = {}, primaryKeyId: unknown = 1): string {
  return JSON.stringify({
    primaryKeyId,
    key: [{ keyData: exampleKey.keyData, status: 'ENABLED', keyId: 1, outputPrefixType: 'TINK', ...entry }],
  });
}

/** Key data holding an AesGcmKey with `aesKey`, as tinkey writes it. */
function keyDataOf(aesKey: Buffer, typeUrl = aesGcmTypeUrl): Record<string, string> {
  return { typeUrl, value: encodeAesGcmKey(aesKey).toString('base64'), keyMaterialType: 'SYMMETRIC' };
}

const aesSivTypeUrl = 'type.googleapis.com/google.crypto.tink.AesSivKey';
/** The example key's AesGcmKey with `version: 1` (field 1 varint) in front. */
const versionOneValue = Buffer.concat([Buffer.from([0x08, 0x01]), Buffer.from(exampleKey.keyData.value, 'base64')]).toString(
  'base64',
);

function refusal(text: string): unknown {
  const error = thrownBy(() => parseCleartextKeysetJson(text));
  expect(error).toBeInstanceOf(KeysetInvalidError);
  return error;
}

describe('cleartext keyset JSON', () => {
  describe('when given the tinkey example keyset', () => {
    it('reads the primary, the key entry and its 32-byte AES key', () => {
      const keyset = parseCleartextKeysetJson(JSON.stringify(example));
      const expectedKey = Buffer.from(exampleKey.keyData.value, 'base64').subarray(2);
      expect(keyset).toEqual({
        primaryKeyId: 294406504,
        keys: [{ keyId: 294406504, status: 'ENABLED', outputPrefixType: 'TINK', aesKey: expectedKey }],
      });
      expect(keyset.keys[0]?.aesKey.length).toBe(32);
    });

    it('reads the AesGcmKey value as Tink writes it: 1a 20 and the 32 key bytes', () => {
      const keyset = parseCleartextKeysetJson(JSON.stringify(example));
      const aesKey = keyset.keys[0]?.aesKey ?? Buffer.alloc(0);
      expect(encodeAesGcmKey(aesKey).toString('base64')).toBe(exampleKey.keyData.value);
    });
  });

  describe('when key ids are written in other protobuf JSON forms', () => {
    it('reads decimal strings', () => {
      const keyset = parseCleartextKeysetJson(keysetJson({ keyId: '4294967295' }, '4294967295'));
      expect(keyset.primaryKeyId).toBe(0xffff_ffff);
    });

    it('reads negative numbers as older Tink wrote ids above 2^31', () => {
      const keyset = parseCleartextKeysetJson(keysetJson({ keyId: -1 }, -1));
      expect(keyset.keys[0]?.keyId).toBe(0xffff_ffff);
    });

    it('reads URL-safe, unpadded base64 key data', () => {
      const value = exampleKey.keyData.value.replaceAll('/', '_').replaceAll('=', '');
      const keyset = parseCleartextKeysetJson(keysetJson({ keyData: { ...exampleKey.keyData, value } }));
      expect(keyset.keys[0]?.aesKey.length).toBe(32);
    });
  });

  describe('when a key is destroyed', () => {
    it('accepts it without key data and keeps no material', () => {
      const text = JSON.stringify({
        primaryKeyId: 1,
        key: [
          { keyData: exampleKey.keyData, status: 'ENABLED', keyId: 1, outputPrefixType: 'TINK' },
          { status: 'DESTROYED', keyId: 2, outputPrefixType: 'TINK' },
        ],
      });
      expect(parseCleartextKeysetJson(text).keys[1]).toEqual({
        keyId: 2,
        status: 'DESTROYED',
        outputPrefixType: 'TINK',
        aesKey: Buffer.alloc(0),
      });
    });
  });

  describe('when the keyset is unusable', () => {
    it.each([
      ['not JSON', '{"primaryKeyId": 1, "key": ['],
      ['not an object', '[]'],
      ['without keys', '{"primaryKeyId": 1}'],
      ['with a missing primary', keysetJson({}, 2)],
      ['with a disabled primary', keysetJson({ status: 'DISABLED' })],
      ['with an unknown status', keysetJson({ status: 'UNKNOWN_STATUS' })],
      ['with an unknown prefix', keysetJson({ outputPrefixType: 'UNKNOWN_PREFIX' })],
      ['with a fractional key id', keysetJson({ keyId: 1.5 }, 1.5)],
      ['with a key id beyond uint32', keysetJson({ keyId: 2 ** 32 }, 2 ** 32)],
      ['without key data', keysetJson({ keyData: undefined })],
      ['with another key type', keysetJson({ keyData: keyDataOf(Buffer.alloc(32), aesSivTypeUrl) })],
      ['with a 24-byte key', keysetJson({ keyData: keyDataOf(Buffer.alloc(24, 0x42)) })],
      ['with key data that is not base64', keysetJson({ keyData: { ...exampleKey.keyData, value: 'a!b' } })],
      ['with AesGcmKey version 1', keysetJson({ keyData: { ...exampleKey.keyData, value: versionOneValue } })],
    ])('refuses it %s', (_name, text) => {
      expect(refusal(text)).toMatchObject({ code: 'keyset_invalid' });
    });

    it('names the unsupported key type and the key id', () => {
      const error = refusal(keysetJson({ keyData: keyDataOf(Buffer.alloc(32), aesSivTypeUrl) }));
      expect(error).toMatchObject({ reason: `key 1: unsupported key type "${aesSivTypeUrl}"` });
    });

    it('quotes no key bytes and none of the text', () => {
      const aesKey = Buffer.alloc(20, 0x5a);
      const secret = encodeAesGcmKey(aesKey).toString('base64');
      for (const text of [keysetJson({ keyData: keyDataOf(aesKey) }), `{"key": "${secret}`]) {
        const error = refusal(text);
        const everything = `${String(error)} ${JSON.stringify(error)} ${String((error as Error).cause)}`;
        expect(everything).not.toMatch(/5a5a|WlpaWl|ZZZZ|GhRa/);
      }
    });
  });

  describe('for any input', () => {
    it('gives a keyset or throws the keyset error, nothing else', () => {
      const anyText = fc.oneof(
        fc.string(),
        fc.json(),
        fc
          .record({ primaryKeyId: fc.jsonValue(), key: fc.array(fc.jsonValue(), { maxLength: 3 }) })
          .map((v) => JSON.stringify(v)),
        fc
          .record({
            keyData: fc.oneof(fc.jsonValue(), fc.constant(exampleKey.keyData)),
            status: fc.constantFrom('ENABLED', 'DISABLED', 'DESTROYED', 'nope', 1),
            keyId: fc.oneof(fc.integer(), fc.string(), fc.double()),
            outputPrefixType: fc.constantFrom('TINK', 'RAW', 'LEGACY', 'CRUNCHY', 'x'),
          })
          .map((entry) => keysetJson(entry, entry.keyId)),
      );
      fc.assert(
        fc.property(anyText, (text) => {
          try {
            parseCleartextKeysetJson(text);
          } catch (err) {
            expect(err).toBeInstanceOf(KeysetInvalidError);
          }
        }),
      );
    });
  });
});

describe('encrypted keyset JSON', () => {
  it('gives the encrypted keyset bytes and ignores keysetInfo', () => {
    const text = JSON.stringify({
      encryptedKeyset: Buffer.from('kms ciphertext').toString('base64'),
      keysetInfo: { primaryKeyId: 1, keyInfo: [{ typeUrl: aesGcmTypeUrl, status: 'ENABLED', keyId: 1 }] },
    });
    expect(parseEncryptedKeysetJson(text)).toEqual({ encryptedKeyset: Buffer.from('kms ciphertext') });
  });

  it.each([
    ['not JSON', 'encryptedKeyset'],
    ['without encryptedKeyset', '{"keysetInfo": {}}'],
    ['with an empty encryptedKeyset', '{"encryptedKeyset": ""}'],
    ['with a number', '{"encryptedKeyset": 7}'],
    ['with text that is not base64', '{"encryptedKeyset": "not base64!"}'],
  ])('refuses it %s', (_name, text) => {
    const error = thrownBy(() => parseEncryptedKeysetJson(text));
    expect(error).toBeInstanceOf(KeysetInvalidError);
    expect(error).toMatchObject({ code: 'keyset_invalid' });
  });
});
