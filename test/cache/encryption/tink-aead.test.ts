import { describe, expect, it } from 'vitest';
import { DecryptFailedError, KeysetInvalidError } from '../../../src/errors.js';
import { parseCleartextKeysetJson } from '../../../src/cache/encryption/keyset-json.js';
import { createTinkAead } from '../../../src/cache/encryption/tink-aead.js';
import { aesGcmKey, keysetOf, thrownBy, tinkVectors, withStatus } from './encryption-fixtures.js';

const ad = Buffer.from('pipeline-a:repo', 'utf8');
const message = Buffer.from('ghs_example_token', 'utf8');

/** The 5-byte Tink prefix for `keyId` with `firstByte` (0x01 TINK, 0x00 LEGACY/CRUNCHY). */
function prefixOf(firstByte: number, keyId: number): Buffer {
  const prefix = Buffer.alloc(5);
  prefix.writeUInt8(firstByte, 0);
  prefix.writeUInt32BE(keyId, 1);
  return prefix;
}

const decryptFailed = { code: 'decrypt_failed', message: 'decryption failed' };

describe('tink aead', () => {
  describe('with the Tink known-answer vector', () => {
    const vector = tinkVectors.aesGcmKnownAnswer;
    const aead = createTinkAead(
      keysetOf(vector.keyId, aesGcmKey(vector.keyId, { aesKey: Buffer.from(vector.keyHex, 'hex') })),
    );

    it('decrypts the ciphertext real Tink wrote to its plaintext', () => {
      const plaintext = aead.decrypt(Buffer.from(vector.ciphertextHex, 'hex'), Buffer.from(vector.associatedDataHex, 'hex'));
      expect(plaintext.toString('hex')).toBe(vector.plaintextHex);
    });

    it('refuses the same ciphertext under other associated data', () => {
      const error = thrownBy(() => aead.decrypt(Buffer.from(vector.ciphertextHex, 'hex'), Buffer.from('x')));
      expect(error).toBeInstanceOf(DecryptFailedError);
      expect(error).toMatchObject(decryptFailed);
    });

    it('writes ciphertexts in the same layout: TINK prefix, 12-byte IV, body, 16-byte tag', () => {
      const sealed = aead.encrypt(Buffer.from(vector.plaintextHex, 'hex'), Buffer.alloc(0));
      expect(sealed.length).toBe(Buffer.from(vector.ciphertextHex, 'hex').length);
      expect(sealed.subarray(0, 5).toString('hex')).toBe('0111223344');
    });
  });

  describe('with the tinkey example keyset', () => {
    const aead = createTinkAead(parseCleartextKeysetJson(JSON.stringify(tinkVectors.tinkeyExampleKeyset)));

    it('round-trips a message under the keyset primary', () => {
      const sealed = aead.encrypt(message, ad);
      expect(sealed.subarray(0, 5)).toEqual(prefixOf(0x01, 294406504));
      expect(aead.decrypt(sealed, ad)).toEqual(message);
    });
  });

  describe('when encrypting', () => {
    it('prefixes 0x00 and the key id for CRUNCHY and LEGACY keys, and nothing for RAW keys', () => {
      for (const [outputPrefixType, expected] of [
        ['CRUNCHY', prefixOf(0x00, 7)],
        ['LEGACY', prefixOf(0x00, 7)],
        ['RAW', Buffer.alloc(0)],
      ] as const) {
        const aead = createTinkAead(keysetOf(7, aesGcmKey(7, { outputPrefixType })));
        const sealed = aead.encrypt(message, ad);
        expect(sealed.length).toBe(expected.length + 12 + message.length + 16);
        expect(sealed.subarray(0, expected.length)).toEqual(expected);
        expect(aead.decrypt(sealed, ad)).toEqual(message);
      }
    });

    it('uses AES-128-GCM for 16-byte keys', () => {
      const aead = createTinkAead(keysetOf(3, aesGcmKey(3, { aesKey: Buffer.alloc(16, 9) })));
      expect(aead.decrypt(aead.encrypt(message, ad), ad)).toEqual(message);
    });

    it('draws a fresh IV for every message', () => {
      const aead = createTinkAead(keysetOf(1, aesGcmKey(1)));
      const ivs = new Set(Array.from({ length: 50 }, () => aead.encrypt(message, ad).subarray(5, 17).toString('hex')));
      expect(ivs.size).toBe(50);
    });

    it('seals empty plaintexts too', () => {
      const aead = createTinkAead(keysetOf(1, aesGcmKey(1)));
      expect(aead.decrypt(aead.encrypt(Buffer.alloc(0), ad), ad)).toEqual(Buffer.alloc(0));
    });
  });

  describe('when the ciphertext does not open', () => {
    const aead = createTinkAead(keysetOf(1, aesGcmKey(1)));
    const sealed = aead.encrypt(message, ad);
    const cases: [string, Buffer, Buffer][] = [
      ['other associated data', sealed, Buffer.from('pipeline-b:repo')],
      ['a flipped tag bit', Buffer.concat([sealed.subarray(0, -1), Buffer.from([(sealed.at(-1) ?? 0) ^ 1])]), ad],
      ['a flipped body bit', Buffer.from(sealed.map((byte, index) => (index === 20 ? byte ^ 0x80 : byte))), ad],
      ['a truncated tag', sealed.subarray(0, -1), ad],
      ['only a prefix and IV', sealed.subarray(0, 17), ad],
      ['no bytes at all', Buffer.alloc(0), ad],
      ['an unknown key id', Buffer.concat([prefixOf(0x01, 2), sealed.subarray(5)]), ad],
    ];

    it.each(cases)('throws the generic decrypt error for %s', (_name, ciphertext, associatedData) => {
      expect(thrownBy(() => aead.decrypt(ciphertext, associatedData))).toMatchObject(decryptFailed);
    });

    it('names no key, id or byte in the error', () => {
      const error = thrownBy(() => aead.decrypt(sealed, Buffer.from('other')));
      expect(Object.keys(error as object)).toEqual(['code']);
      expect(JSON.stringify(error) + String(error)).not.toMatch(/[0-9a-f]{8}|\b1\b/);
    });
  });

  describe('when the keyset rotates: add, promote, disable, destroy', () => {
    const keyA = aesGcmKey(0x0a0a0a0a);
    const keyB = aesGcmKey(0x0b0b0b0b);
    const fromA = createTinkAead(keysetOf(keyA.keyId, keyA)).encrypt(message, ad);

    it('still opens values sealed by A after B is added, and still seals with A', () => {
      const aead = createTinkAead(keysetOf(keyA.keyId, keyA, keyB));
      expect(aead.decrypt(fromA, ad)).toEqual(message);
      expect(aead.encrypt(message, ad).subarray(0, 5)).toEqual(prefixOf(0x01, keyA.keyId));
    });

    it('seals with B once B is promoted, and opens both', () => {
      const aead = createTinkAead(keysetOf(keyB.keyId, keyA, keyB));
      const fromB = aead.encrypt(message, ad);
      expect(fromB.subarray(0, 5)).toEqual(prefixOf(0x01, keyB.keyId));
      expect(aead.decrypt(fromA, ad)).toEqual(message);
      expect(aead.decrypt(fromB, ad)).toEqual(message);
    });

    it.each(['DISABLED', 'DESTROYED'] as const)('refuses values sealed by A once A is %s', (status) => {
      const aead = createTinkAead(keysetOf(keyB.keyId, withStatus(keyA, status), keyB));
      expect(thrownBy(() => aead.decrypt(fromA, ad))).toMatchObject(decryptFailed);
    });

    it('refuses values sealed by A once A is removed', () => {
      const aead = createTinkAead(keysetOf(keyB.keyId, keyB));
      expect(thrownBy(() => aead.decrypt(fromA, ad))).toMatchObject(decryptFailed);
    });
  });

  describe('with RAW keys', () => {
    it('opens unprefixed values with a RAW key that is not the primary', () => {
      const raw = aesGcmKey(5, { outputPrefixType: 'RAW' });
      const fromRaw = createTinkAead(keysetOf(5, raw)).encrypt(message, ad);
      const aead = createTinkAead(keysetOf(6, raw, aesGcmKey(6)));
      expect(aead.decrypt(fromRaw, ad)).toEqual(message);
    });

    it('falls back to RAW keys when a prefixed key matches the first five bytes but does not open the value', () => {
      const raw = aesGcmKey(5, { outputPrefixType: 'RAW' });
      const rawOnly = createTinkAead(keysetOf(5, raw));
      // Seal until the random IV starts like a TINK or CRUNCHY prefix (about 1 in 128 tries).
      let sealed = rawOnly.encrypt(message, ad);
      while (sealed[0] !== 0x00 && sealed[0] !== 0x01) sealed = rawOnly.encrypt(message, ad);
      const lookalike = aesGcmKey(sealed.readUInt32BE(1), { outputPrefixType: sealed[0] === 0x01 ? 'TINK' : 'CRUNCHY' });
      const aead = createTinkAead(keysetOf(lookalike.keyId, lookalike, raw));
      expect(aead.decrypt(sealed, ad)).toEqual(message);
    });
  });

  describe('when the keyset is unusable', () => {
    it.each([
      ['the primary is missing', keysetOf(9, aesGcmKey(1))],
      ['the primary is disabled', keysetOf(1, aesGcmKey(1, { status: 'DISABLED' }))],
      ['a key has 24 bytes', keysetOf(1, aesGcmKey(1, { aesKey: Buffer.alloc(24, 0x42) }))],
      ['two enabled keys carry the primary id', keysetOf(1, aesGcmKey(1), aesGcmKey(1))],
    ])('refuses it when %s, quoting no key bytes', (_name, keyset) => {
      const error = thrownBy(() => createTinkAead(keyset));
      expect(error).toBeInstanceOf(KeysetInvalidError);
      expect(error).toMatchObject({ code: 'keyset_invalid' });
      expect(String(error)).not.toMatch(/4242|QkJC/);
    });
  });
});
