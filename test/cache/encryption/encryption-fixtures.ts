import { randomBytes } from 'node:crypto';
import type { Keyset, KeysetKey } from '../../../src/cache/encryption/keyset.js';

/**
 * Known-answer data from public Tink test suites (copied from shared/reference/tink-vectors.json),
 * so the tests prove compatibility with real Tink, not only with our own encoder.
 */
export const tinkVectors = {
  /** tink-go aead/aesgcm/aead_test.go (TestPrimitiveCreator), from Wycheproof; TINK output prefix. */
  aesGcmKnownAnswer: {
    keyHex: '51e4bf2bad92b7aff1a4bc05550ba81df4b96fabf41c12c7b00e60e48db7e152',
    keyId: 287454020,
    associatedDataHex: '',
    ciphertextHex: '01112233444f07afedfdc3b6c2361823d3cf332a12fdee800b602e8d7c4799d62c140c9bb834876b09',
    plaintextHex: 'be3308f72a2c6aed',
  },
  /** tink-go aead/aead_test.go: a keyset created with `tinkey create-keyset --key-template=AES256_GCM`. */
  tinkeyExampleKeyset: {
    primaryKeyId: 294406504,
    key: [
      {
        keyData: {
          typeUrl: 'type.googleapis.com/google.crypto.tink.AesGcmKey',
          value: 'GiBWyUfGgYk3RTRhj/LIUzSudIWlyjCftCOypTr0jCNSLg==',
          keyMaterialType: 'SYMMETRIC',
        },
        status: 'ENABLED',
        keyId: 294406504,
        outputPrefixType: 'TINK',
      },
    ],
  },
} as const;

/** A fresh AES-256-GCM key entry; ENABLED and TINK unless overridden. */
export function aesGcmKey(keyId: number, overrides: Partial<Omit<KeysetKey, 'keyId'>> = {}): KeysetKey {
  return { keyId, status: 'ENABLED', outputPrefixType: 'TINK', aesKey: randomBytes(32), ...overrides };
}

/** A keyset of `keys` whose primary is `primaryKeyId`. */
export function keysetOf(primaryKeyId: number, ...keys: KeysetKey[]): Keyset {
  return { primaryKeyId, keys };
}

/** The same key with another status (as `tinkey disable-key` / `destroy-key` would leave it). */
export function withStatus(key: KeysetKey, status: KeysetKey['status']): KeysetKey {
  return { ...key, status, aesKey: status === 'DESTROYED' ? Buffer.alloc(0) : key.aesKey };
}

/** Runs `action` and gives back what it threw (the test fails if it returns). */
export function thrownBy(action: () => unknown): unknown {
  try {
    action();
  } catch (err) {
    return err;
  }
  throw new TypeError('expected the action to throw');
}
