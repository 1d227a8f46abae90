import { EncryptionSelfTestError } from '../../errors.js';
import type { Aead } from './tink-aead.js';

const testPlaintext = 'chinmina-bridge-encryption-test';
const testAssociatedData = 'validation';

/**
 * Proves a freshly built AEAD works before it is trusted with the cache: encrypts Chinmina's
 * fixed test message with associated data `validation` and checks it decrypts to itself.
 *
 * @throws {EncryptionSelfTestError} when either step throws or the message comes back changed.
 */
export function selfTestAead(aead: Aead): void {
  const plaintext = Buffer.from(testPlaintext, 'utf8');
  const associatedData = Buffer.from(testAssociatedData, 'utf8');
  let roundTripped: Buffer;
  try {
    roundTripped = aead.decrypt(aead.encrypt(plaintext, associatedData), associatedData);
  } catch (err) {
    throw new EncryptionSelfTestError({ cause: err });
  }
  if (!roundTripped.equals(plaintext)) throw new EncryptionSelfTestError();
}
