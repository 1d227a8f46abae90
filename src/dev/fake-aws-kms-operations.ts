import { constants, privateEncrypt } from 'node:crypto';
import { openBlob, parseBlob, sealBlob } from './fake-aws-kms-blob.js';
import type { KmsKeyStore, StoredKmsKey } from './fake-aws-kms-keys.js';
import {
  awsError,
  awsOk,
  blobMember,
  missingMember,
  stringMapMember,
  stringMember,
  type AwsInput,
  type AwsReply,
} from './fake-aws-protocol.js';

/** The one signing algorithm the fake implements, the one GitHub App JWTs (RS256) need. */
const rs256Algorithm = 'RSASSA_PKCS1_V1_5_SHA_256';
/** DER of DigestInfo { sha256, NULL } up to the 32 digest bytes (RFC 8017 §9.2, note 1). */
const sha256DigestInfoPrefix = Buffer.from('3031300d060960864801650304020105000420', 'hex');
const symmetricAlgorithm = 'SYMMETRIC_DEFAULT';

type KeyOfKind<K extends StoredKmsKey['kind']> = Extract<StoredKmsKey, { kind: K }>;
type KeyLookup<K extends StoredKmsKey['kind']> =
  | { readonly ok: true; readonly key: KeyOfKind<K> }
  | { readonly ok: false; readonly reply: AwsReply };

/**
 * `Sign` with `MessageType: DIGEST` only: the message is a 32-byte SHA-256 digest, the
 * signature RSASSA-PKCS1-v1_5 over it, made as KMS does without hashing again.
 */
export function kmsSign(keys: KmsKeyStore, input: AwsInput): AwsReply {
  const lookup = usableKey(keys, stringMember(input, 'KeyId'), 'signing', 'Sign');
  if (!lookup.ok) return lookup.reply;
  const algorithm = stringMember(input, 'SigningAlgorithm');
  if (algorithm === undefined) return missingMember('signingAlgorithm');
  if (algorithm !== rs256Algorithm) {
    return awsError('InvalidKeyUsageException', `the fake KMS signs with ${rs256Algorithm} only, not ${algorithm}`);
  }
  if (stringMember(input, 'MessageType') !== 'DIGEST') {
    return awsError('ValidationException', 'the fake KMS signs digests only: MessageType must be DIGEST');
  }
  const digest = blobMember(input, 'Message');
  if (digest === undefined) return missingMember('message');
  if (digest.length !== 32) return awsError('ValidationException', `Digest is invalid length for algorithm ${algorithm}.`);
  const signature = privateEncrypt(
    { key: lookup.key.privateKey, padding: constants.RSA_PKCS1_PADDING },
    Buffer.concat([sha256DigestInfoPrefix, digest]),
  );
  return awsOk({ KeyId: lookup.key.arn, Signature: signature.toString('base64'), SigningAlgorithm: algorithm });
}

/** `GetPublicKey` of a signing key: the SubjectPublicKeyInfo DER, base64. */
export function kmsGetPublicKey(keys: KmsKeyStore, input: AwsInput): AwsReply {
  const lookup = usableKey(keys, stringMember(input, 'KeyId'), 'signing', 'GetPublicKey');
  if (!lookup.ok) return lookup.reply;
  const { publicKey, arn } = lookup.key;
  return awsOk({
    KeyId: arn,
    PublicKey: publicKey.export({ type: 'spki', format: 'der' }).toString('base64'),
    KeySpec: `RSA_${publicKey.asymmetricKeyDetails?.modulusLength ?? 2048}`,
    KeyUsage: 'SIGN_VERIFY',
    SigningAlgorithms: [rs256Algorithm],
  });
}

/** `Encrypt` with a symmetric key; the encryption context is bound to the blob. */
export function kmsEncrypt(keys: KmsKeyStore, input: AwsInput): AwsReply {
  const lookup = usableKey(keys, stringMember(input, 'KeyId'), 'symmetric', 'Encrypt');
  if (!lookup.ok) return lookup.reply;
  const algorithm = checkSymmetricAlgorithm(input);
  if (algorithm !== undefined) return algorithm;
  const plaintext = blobMember(input, 'Plaintext');
  if (plaintext === undefined) return missingMember('plaintext');
  if (plaintext.length < 1 || plaintext.length > 4096) {
    return awsError('ValidationException', 'Plaintext must be between 1 and 4096 bytes long');
  }
  const context = stringMapMember(input, 'EncryptionContext');
  if (context === undefined) return awsError('ValidationException', 'EncryptionContext must map strings to strings');
  const blob = sealBlob(lookup.key, plaintext, context);
  return awsOk({ CiphertextBlob: blob.toString('base64'), KeyId: lookup.key.arn, EncryptionAlgorithm: symmetricAlgorithm });
}

/**
 * `Decrypt` of one of the fake's blobs. `KeyId` is optional; when given it must name the
 * key the blob was sealed with (else `IncorrectKeyException`), and the encryption context
 * must be the one it was sealed with (else `InvalidCiphertextException`), as in KMS.
 */
export function kmsDecrypt(keys: KmsKeyStore, input: AwsInput): AwsReply {
  const blob = blobMember(input, 'CiphertextBlob');
  if (blob === undefined) return missingMember('ciphertextBlob');
  const parsed = parseBlob(blob);
  if (parsed === undefined) return awsError('InvalidCiphertextException', 'the ciphertext is not a KMS ciphertext blob');
  const algorithm = checkSymmetricAlgorithm(input);
  if (algorithm !== undefined) return algorithm;
  const lookup = usableKey(keys, stringMember(input, 'KeyId') ?? parsed.keyId, 'symmetric', 'Decrypt');
  if (!lookup.ok) return lookup.reply;
  if (lookup.key.keyId !== parsed.keyId) {
    return awsError(
      'IncorrectKeyException',
      'The key ID in the request does not identify a KMS key that can perform this operation.',
    );
  }
  const context = stringMapMember(input, 'EncryptionContext');
  if (context === undefined) return awsError('ValidationException', 'EncryptionContext must map strings to strings');
  const plaintext = openBlob(lookup.key.secret, parsed, context);
  if (plaintext === undefined) return awsError('InvalidCiphertextException', 'the ciphertext could not be decrypted');
  return awsOk({ KeyId: lookup.key.arn, Plaintext: plaintext.toString('base64'), EncryptionAlgorithm: symmetricAlgorithm });
}

/** The key `keyId` names, if it exists, is enabled and is of the kind the operation needs. */
function usableKey<K extends StoredKmsKey['kind']>(
  keys: KmsKeyStore,
  keyId: string | undefined,
  kind: K,
  operation: string,
): KeyLookup<K> {
  if (keyId === undefined) return { ok: false, reply: missingMember('keyId') };
  const key = keys.resolve(keyId);
  if (key === undefined) return { ok: false, reply: awsError('NotFoundException', `Key '${keyId}' does not exist`) };
  if (!key.enabled) return { ok: false, reply: awsError('DisabledException', `${key.arn} is disabled.`) };
  if (!isKind(key, kind)) {
    const usage = key.kind === 'signing' ? 'SIGN_VERIFY' : 'ENCRYPT_DECRYPT';
    const message = `${key.arn} key usage is ${usage} which is not valid for ${operation}.`;
    return { ok: false, reply: awsError('InvalidKeyUsageException', message) };
  }
  return { ok: true, key };
}

function isKind<K extends StoredKmsKey['kind']>(key: StoredKmsKey, kind: K): key is KeyOfKind<K> {
  return key.kind === kind;
}

/** An error when the request names an encryption algorithm other than the symmetric default. */
function checkSymmetricAlgorithm(input: AwsInput): AwsReply | undefined {
  const algorithm = stringMember(input, 'EncryptionAlgorithm') ?? symmetricAlgorithm;
  if (algorithm === symmetricAlgorithm) return undefined;
  return awsError('InvalidKeyUsageException', `the fake KMS encrypts with ${symmetricAlgorithm} only, not ${algorithm}`);
}
