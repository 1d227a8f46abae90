import { describe, expect, it } from 'vitest';
import { EncryptionSelfTestError } from '../../../src/errors.js';
import { selfTestAead } from '../../../src/cache/encryption/self-test.js';
import { createTinkAead, type Aead } from '../../../src/cache/encryption/tink-aead.js';
import { aesGcmKey, keysetOf, thrownBy } from './encryption-fixtures.js';

const working = createTinkAead(keysetOf(1, aesGcmKey(1)));

describe('AEAD self-test', () => {
  describe('when the AEAD round-trips', () => {
    it('passes, sealing Chinmina’s test message with associated data "validation"', () => {
      const calls: string[] = [];
      const recording: Aead = {
        encrypt(plaintext, associatedData) {
          calls.push(`encrypt ${Buffer.from(plaintext).toString()} / ${Buffer.from(associatedData).toString()}`);
          return working.encrypt(plaintext, associatedData);
        },
        decrypt(ciphertext, associatedData) {
          calls.push(`decrypt / ${Buffer.from(associatedData).toString()}`);
          return working.decrypt(ciphertext, associatedData);
        },
      };
      expect(() => selfTestAead(recording)).not.toThrow();
      expect(calls).toEqual(['encrypt chinmina-bridge-encryption-test / validation', 'decrypt / validation']);
    });
  });

  describe('when the message comes back changed', () => {
    it('throws the self-test error', () => {
      const garbling: Aead = { ...working, decrypt: () => Buffer.from('something else') };
      const error = thrownBy(() => selfTestAead(garbling));
      expect(error).toBeInstanceOf(EncryptionSelfTestError);
      expect(error).toMatchObject({ code: 'encryption_self_test_failed' });
    });
  });

  describe('when a step throws', () => {
    it('throws the self-test error with the failure as its cause', () => {
      const other = createTinkAead(keysetOf(2, aesGcmKey(2)));
      const mismatched: Aead = { encrypt: working.encrypt, decrypt: other.decrypt };
      const error = thrownBy(() => selfTestAead(mismatched));
      expect(error).toMatchObject({ code: 'encryption_self_test_failed', cause: { code: 'decrypt_failed' } });
    });
  });
});
