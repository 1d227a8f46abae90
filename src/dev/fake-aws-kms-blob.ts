import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/**
 * The fake's ciphertext blob, opaque to clients as KMS's own is:
 * `0x01 || key id length (1 byte) || key id (ASCII) || IV (12) || tag (16) || ciphertext`,
 * AES-256-GCM with the canonical encryption context as associated data. Naming the key in
 * the blob is what lets `Decrypt` work without a `KeyId`, as it does for symmetric keys.
 */
const version = 0x01;
const ivBytes = 12;
const tagBytes = 16;

/** The parts of a blob, before the key is looked up. */
export interface ParsedBlob {
  readonly keyId: string;
  readonly iv: Buffer;
  readonly tag: Buffer;
  readonly ciphertext: Buffer;
}

/** Encrypts `plaintext` under `secret`, binding `context`; the blob names `keyId`. */
export function sealBlob(
  key: { readonly keyId: string; readonly secret: Buffer },
  plaintext: Buffer,
  context: ReadonlyMap<string, string>,
): Buffer {
  const iv = randomBytes(ivBytes);
  const cipher = createCipheriv('aes-256-gcm', key.secret, iv).setAAD(canonicalContext(context));
  const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  const keyId = Buffer.from(key.keyId, 'ascii');
  return Buffer.concat([Buffer.from([version, keyId.length]), keyId, iv, cipher.getAuthTag(), ciphertext]);
}

/** Splits a blob into its parts; undefined when it is not one of ours. */
export function parseBlob(blob: Buffer): ParsedBlob | undefined {
  const keyIdLength = blob[1];
  if (blob[0] !== version || keyIdLength === undefined) return undefined;
  const ivStart = 2 + keyIdLength;
  const tagStart = ivStart + ivBytes;
  const ciphertextStart = tagStart + tagBytes;
  if (blob.length < ciphertextStart) return undefined;
  return {
    keyId: blob.subarray(2, ivStart).toString('ascii'),
    iv: blob.subarray(ivStart, tagStart),
    tag: blob.subarray(tagStart, ciphertextStart),
    ciphertext: blob.subarray(ciphertextStart),
  };
}

/**
 * Decrypts a parsed blob; undefined when authentication fails (wrong key, tampered blob,
 * or an encryption context other than the one it was sealed with).
 */
export function openBlob(secret: Buffer, blob: ParsedBlob, context: ReadonlyMap<string, string>): Buffer | undefined {
  const decipher = createDecipheriv('aes-256-gcm', secret, blob.iv).setAAD(canonicalContext(context));
  decipher.setAuthTag(blob.tag);
  try {
    return Buffer.concat([decipher.update(blob.ciphertext), decipher.final()]);
  } catch {
    // GCM reports any authentication failure this way; KMS answers InvalidCiphertextException.
    return undefined;
  }
}

/** The encryption context as bytes independent of the order its pairs were sent in. */
function canonicalContext(context: ReadonlyMap<string, string>): Buffer {
  const sorted = [...context].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return Buffer.from(JSON.stringify(sorted), 'utf8');
}
