import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { KeysetInvalidError } from '../../../src/errors.js';
import { decodeKeysetProtobuf, encodeKeysetProtobuf } from '../../../src/cache/encryption/keyset-protobuf.js';
import { encodeVarint } from '../../../src/cache/encryption/protobuf-writer.js';
import { aesGcmTypeUrl, type Keyset, type KeysetKey } from '../../../src/cache/encryption/keyset.js';
import { thrownBy } from './encryption-fixtures.js';

const aesKey = Buffer.alloc(32, 0x42);
const typeUrlHex = Buffer.from(aesGcmTypeUrl, 'utf8').toString('hex');

/** Bytes from hex pieces; spaces are for reading. */
const hex = (...parts: string[]): Buffer => Buffer.from(parts.join('').replaceAll(' ', ''), 'hex');

/** A length-delimited field as hex: tag, varint length, payload. */
const field = (tagHex: string, payload: Buffer): string =>
  `${tagHex}${encodeVarint(payload.length).toString('hex')}${payload.toString('hex')}`;

/** KeyData { type_url: AesGcmKey, value: AesGcmKey { key_value: 32 × 0x42 }, key_material_type: SYMMETRIC }. */
const keyData = hex('0a 30', typeUrlHex, '12 22 1a 20', aesKey.toString('hex'), '18 02');
/** Key { key_data, status: ENABLED, key_id: 1, output_prefix_type: TINK }. */
const key = hex('0a 58', keyData.toString('hex'), '10 01 18 01 20 01');
/** Keyset { primary_key_id: 1, key: [key] }, written by hand from tink.proto. */
const keysetBytes = hex('08 01 12 60', key.toString('hex'));
const expected: Keyset = { primaryKeyId: 1, keys: [{ keyId: 1, status: 'ENABLED', outputPrefixType: 'TINK', aesKey }] };

/** One of each unknown wire type: varint, fixed64, length-delimited, nested groups, fixed32. */
const unknownFields = '40 96 01  29 0102030405060708  3a 02 abcd  4b 53 08 01 54 4c  35 01020304';

function refusal(bytes: Uint8Array): unknown {
  const error = thrownBy(() => decodeKeysetProtobuf(bytes));
  expect(error).toBeInstanceOf(KeysetInvalidError);
  expect(error).toMatchObject({ code: 'keyset_invalid' });
  return error;
}

const keyArbitrary: fc.Arbitrary<KeysetKey> = fc
  .record({
    keyId: fc.nat({ max: 0xffff_ffff }),
    status: fc.constantFrom('ENABLED', 'DISABLED', 'DESTROYED'),
    outputPrefixType: fc.constantFrom('TINK', 'RAW', 'LEGACY', 'CRUNCHY'),
    aesKey: fc.oneof(fc.uint8Array({ minLength: 16, maxLength: 16 }), fc.uint8Array({ minLength: 32, maxLength: 32 })),
  })
  .map((k) => ({ ...k, aesKey: k.status === 'DESTROYED' ? Buffer.alloc(0) : Buffer.from(k.aesKey) }));

/** Valid keysets: one ENABLED primary placed among other keys, none of which shares its id while ENABLED. */
const keysetArbitrary: fc.Arbitrary<Keyset> = fc
  .tuple(keyArbitrary, fc.array(keyArbitrary, { maxLength: 5 }), fc.nat())
  .map(([primary, others, position]) => {
    const enabledPrimary = { ...primary, status: 'ENABLED' as const, aesKey: Buffer.alloc(16, 7) };
    const rest = others.filter((k) => !(k.status === 'ENABLED' && k.keyId === primary.keyId));
    const at = position % (rest.length + 1);
    return { primaryKeyId: primary.keyId, keys: [...rest.slice(0, at), enabledPrimary, ...rest.slice(at)] };
  });

describe('keyset protobuf', () => {
  describe('when given a binary keyset written from tink.proto', () => {
    it('decodes the primary id and the AES-GCM key', () => {
      expect(decodeKeysetProtobuf(keysetBytes)).toEqual(expected);
    });

    it('encodes the model back to the same bytes', () => {
      expect(encodeKeysetProtobuf(expected).toString('hex')).toBe(keysetBytes.toString('hex'));
    });
  });

  describe('when the messages carry fields it does not know', () => {
    it('skips unknown fields of every wire type at every level', () => {
      const data = hex(unknownFields, keyData.toString('hex'));
      const keyMessage = hex(field('0a', data), unknownFields, '10 01 18 01 20 01');
      const keyset = hex(unknownFields, '08 01', field('12', keyMessage), unknownFields);
      expect(decodeKeysetProtobuf(keyset)).toEqual(expected);
    });

    it('treats a known field number with another wire type as unknown', () => {
      expect(decodeKeysetProtobuf(hex('0a 01 07', keysetBytes.toString('hex')))).toEqual(expected);
    });

    it('reads key ids as uint32, from 5-byte and 10-byte varints alike', () => {
      const bigKey = hex('0a 58', keyData.toString('hex'), '10 01 18 ffffffffffffffffff01 20 01');
      const big = hex('08 ffffffff0f', field('12', bigKey));
      expect(decodeKeysetProtobuf(big)).toMatchObject({ primaryKeyId: 0xffff_ffff, keys: [{ keyId: 0xffff_ffff }] });
    });
  });

  describe('when the bytes are malformed', () => {
    it.each([
      ['truncated in a varint', hex('08 81')],
      ['truncated in a length-delimited field', keysetBytes.subarray(0, 40)],
      ['truncated in a fixed64', hex('29 0102')],
      ['with a varint longer than 10 bytes', hex('08 ffffffffffffffffffff01')],
      ['with field number 0', hex('00 01')],
      ['with wire type 6', hex('0e')],
      ['with an end-group alone', hex('4c')],
      ['with an unterminated group', hex('4b 08 01')],
      ['with a mismatched end-group', hex('4b 54')],
      ['with groups nested 40 deep', hex('4b'.repeat(40), '4c'.repeat(40))],
    ])('refuses them %s', (_name, bytes) => {
      expect(refusal(bytes)).toMatchObject({ reason: expect.stringMatching(/^malformed protobuf: /) });
    });

    it.each([
      ['that are empty', hex('')],
      ['with an unknown status', hex('08 01 12 60 0a 58', keyData.toString('hex'), '10 09 18 01 20 01')],
      ['with an unknown output prefix', hex('08 01 12 60 0a 58', keyData.toString('hex'), '10 01 18 01 20 00')],
      ['with a key of another type', hex('08 01 12 10 0a 08 0a 02 7878 12 02 1a 00 10 01 18 01 20 01')],
      ['whose primary is missing', hex('08 02 12 60', key.toString('hex'))],
      ['whose key lacks key data', hex('08 01 12 06 10 01 18 01 20 01')],
    ])('refuses keysets %s', (_name, bytes) => {
      refusal(bytes);
    });
  });

  describe('for any keyset', () => {
    it('decodes what it encodes', () => {
      fc.assert(
        fc.property(keysetArbitrary, (keyset) => {
          expect(decodeKeysetProtobuf(encodeKeysetProtobuf(keyset))).toEqual(keyset);
        }),
      );
    });
  });

  describe('for any bytes', () => {
    const mutated = fc
      .tuple(keysetArbitrary, fc.nat(), fc.integer({ min: 0, max: 255 }), fc.constantFrom('truncate', 'flip', 'insert'))
      .map(([keyset, position, byte, how]) => {
        const bytes = encodeKeysetProtobuf(keyset);
        const at = position % (bytes.length + 1);
        if (how === 'truncate') return bytes.subarray(0, at);
        if (how === 'insert') return Buffer.concat([bytes.subarray(0, at), Buffer.from([byte]), bytes.subarray(at)]);
        return Buffer.from(bytes.map((b, i) => (i === at ? b ^ (byte | 1) : b)));
      });

    it('gives a keyset or throws the keyset error, nothing else', () => {
      fc.assert(
        fc.property(fc.oneof(fc.uint8Array({ maxLength: 300 }), mutated), (bytes) => {
          try {
            decodeKeysetProtobuf(bytes);
          } catch (err) {
            expect(err).toBeInstanceOf(KeysetInvalidError);
          }
        }),
        { numRuns: 2000 },
      );
    });
  });
});
