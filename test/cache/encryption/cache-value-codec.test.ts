import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createEncryptedCodec, plaintextCodec } from '../../../src/cache/encryption/cache-value-codec.js';
import { CacheValueUndecodableError } from '../../../src/errors.js';
import { createTinkAead, type Aead } from '../../../src/cache/encryption/tink-aead.js';
import { aesGcmKey, keysetOf, thrownBy } from './encryption-fixtures.js';

const logicalKey = 'token:pipeline-a:default';
const token = '{"token":"ghs_example","expiresAt":1767225600000}';
const keyA = aesGcmKey(0x0a);
const keyB = aesGcmKey(0x0b);
const aeadA = createTinkAead(keysetOf(keyA.keyId, keyA));

function undecodable(action: () => unknown, reason: string): void {
  const error = thrownBy(action);
  expect(error).toBeInstanceOf(CacheValueUndecodableError);
  expect(error).toMatchObject({ code: 'cache_value_undecodable', reason });
}

describe('plaintext codec', () => {
  it('stores keys and values as they are', () => {
    expect(plaintextCodec.storageKey(logicalKey)).toBe(logicalKey);
    expect(plaintextCodec.encode(logicalKey, token)).toBe(token);
    expect(plaintextCodec.decode(logicalKey, token)).toBe(token);
  });
});

describe('encrypted codec', () => {
  const codec = createEncryptedCodec(() => aeadA);

  describe('when encoding', () => {
    it('stores under enc: and the logical key', () => {
      expect(codec.storageKey(logicalKey)).toBe(`enc:${logicalKey}`);
    });

    it('writes cb-enc: and standard padded base64 of a Tink ciphertext bound to the logical key', () => {
      const stored = codec.encode(logicalKey, token);
      expect(stored).toMatch(/^cb-enc:[A-Za-z0-9+/]+={0,2}$/);
      expect(stored).not.toContain('ghs_example');
      const sealed = Buffer.from(stored.slice('cb-enc:'.length), 'base64');
      expect(sealed.subarray(0, 5).toString('hex')).toBe('010000000a');
      expect(aeadA.decrypt(sealed, Buffer.from(logicalKey, 'utf8')).toString('utf8')).toBe(token);
    });

    it('gives back the plaintext on decode', () => {
      expect(codec.decode(logicalKey, codec.encode(logicalKey, token))).toBe(token);
    });
  });

  describe('when a value is moved to another logical key', () => {
    it('refuses to decode it', () => {
      const stored = codec.encode(logicalKey, token);
      undecodable(() => codec.decode('token:pipeline-b:default', stored), 'decrypt_failed');
    });
  });

  describe('when the stored value is not one it wrote', () => {
    it.each([
      ['a plaintext value', token],
      ['an empty value', ''],
      ['a value with the prefix in another case', 'CB-ENC:AAAA'],
    ])('refuses %s as missing the prefix', (_name, stored) => {
      undecodable(() => codec.decode(logicalKey, stored), 'missing_prefix');
    });

    it.each([
      ['characters outside base64', 'cb-enc:AQID!!=='],
      ['URL-safe letters', 'cb-enc:AQ-_'],
      ['missing padding', 'cb-enc:AQI'],
      ['non-zero padding bits', 'cb-enc:AQJ='],
      ['embedded whitespace', 'cb-enc:AQID BAUG'],
    ])('refuses base64 with %s', (_name, stored) => {
      undecodable(() => codec.decode(logicalKey, stored), 'invalid_base64');
    });

    it('refuses a ciphertext with a corrupted byte', () => {
      const stored = codec.encode(logicalKey, token);
      const sealed = Buffer.from(stored.slice('cb-enc:'.length), 'base64');
      sealed.writeUInt8((sealed.at(-3) ?? 0) ^ 0x10, sealed.length - 3);
      undecodable(() => codec.decode(logicalKey, `cb-enc:${sealed.toString('base64')}`), 'decrypt_failed');
    });

    it('keeps the message to the Chinmina wording for a missing prefix', () => {
      expect(thrownBy(() => codec.decode(logicalKey, token))).toMatchObject({
        message: 'cannot decode cached value: missing "cb-enc:" prefix: value may be unencrypted or corrupted',
      });
    });
  });

  describe('when the keyset is refreshed', () => {
    it('seals with the new primary at once and still opens values sealed before', () => {
      let current: Aead = aeadA;
      const rotating = createEncryptedCodec(() => current);
      const before = rotating.encode(logicalKey, token);
      current = createTinkAead(keysetOf(keyB.keyId, keyA, keyB));
      const after = rotating.encode(logicalKey, token);
      expect(Buffer.from(after.slice('cb-enc:'.length), 'base64').subarray(0, 5).toString('hex')).toBe('010000000b');
      expect(rotating.decode(logicalKey, before)).toBe(token);
      expect(rotating.decode(logicalKey, after)).toBe(token);
    });
  });

  describe('for any key and value', () => {
    it('decodes what it encodes', () => {
      // Graphemes, not raw code points: a lone surrogate is no text and cannot round-trip UTF-8.
      const text = fc.string({ unit: 'grapheme', maxLength: 60 });
      fc.assert(
        fc.property(text, text, (key, value) => {
          expect(codec.decode(key, codec.encode(key, value))).toBe(value);
        }),
      );
    });

    it('decodes stored text or throws the undecodable error, nothing else', () => {
      const stored = fc.oneof(fc.string(), fc.base64String().map((b64) => `cb-enc:${b64}`));
      fc.assert(
        fc.property(stored, (text) => {
          try {
            codec.decode(logicalKey, text);
          } catch (err) {
            expect(err).toBeInstanceOf(CacheValueUndecodableError);
          }
        }),
      );
    });
  });
});
