import { CodedError } from './coded-error.js';

/*
 * The errors of cache encryption. None of them reaches a caller as a status: a keyset that
 * fails to load stops start-up (or is skipped by a refresh), and a cache value that fails
 * to decode is the cache tier's to treat as a miss. Invariant: no message, field or cause
 * ever holds key material, plaintext or ciphertext; key ids, sizes and positions are all
 * they name.
 */

/** Every cache-encryption error code. */
export type EncryptionErrorCode =
  | 'keyset_invalid'
  | 'decrypt_failed'
  | 'cache_value_undecodable'
  | 'encryption_self_test_failed';

/** Base of every cache-encryption error; branch on `code`, never on `message`. */
export abstract class EncryptionError extends CodedError {
  abstract override readonly code: EncryptionErrorCode;
}

/** A keyset (JSON, binary or in-memory model) that cannot be used; `reason` names what is wrong. */
export class KeysetInvalidError extends EncryptionError {
  readonly code = 'keyset_invalid';
  constructor(readonly reason: string) {
    super(`invalid encryption keyset: ${reason}`);
  }
}

/**
 * No enabled key of the keyset opens the ciphertext with this associated data. Says
 * nothing about which keys were tried, so it cannot help an attacker probe the keyset.
 */
export class DecryptFailedError extends EncryptionError {
  readonly code = 'decrypt_failed';
  constructor() {
    super('decryption failed');
  }
}

/** Why a stored cache value could not be turned back into its plaintext. */
export type UndecodableReason = 'missing_prefix' | 'invalid_base64' | 'decrypt_failed';

const undecodableMessages = {
  missing_prefix: 'missing "cb-enc:" prefix: value may be unencrypted or corrupted',
  invalid_base64: 'value is not valid base64',
  decrypt_failed: 'value does not decrypt under this key',
} as const satisfies Record<UndecodableReason, string>;

/** A stored cache value that is not an encrypted value of this logical key. */
export class CacheValueUndecodableError extends EncryptionError {
  readonly code = 'cache_value_undecodable';
  constructor(
    readonly reason: UndecodableReason,
    options?: ErrorOptions,
  ) {
    super(`cannot decode cached value: ${undecodableMessages[reason]}`, options);
  }
}

/** A freshly loaded AEAD failed to round-trip the fixed test message. */
export class EncryptionSelfTestError extends EncryptionError {
  readonly code = 'encryption_self_test_failed';
  constructor(options?: ErrorOptions) {
    super('encryption self-test failed: test message did not round-trip', options);
  }
}
