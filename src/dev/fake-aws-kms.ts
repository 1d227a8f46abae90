import type { KeyObject } from 'node:crypto';
import { createKmsKeyStore, type FakeKmsKey, type FakeKmsSigningKey } from './fake-aws-kms-keys.js';
import { kmsDecrypt, kmsEncrypt, kmsGetPublicKey, kmsSign } from './fake-aws-kms-operations.js';
import { awsError, stringMember, type AwsInput, type AwsReply } from './fake-aws-protocol.js';
import { StandInUsageError } from './stand-in-usage-error.js';

export type { FakeKmsKey, FakeKmsSigningKey } from './fake-aws-kms-keys.js';

/** One KMS request the fake received, whatever it answered. */
export interface RecordedKmsRequest {
  /** The operation, e.g. `Sign` (the part of `X-Amz-Target` after `TrentService.`). */
  readonly operation: string;
  /** The `KeyId` as sent; undefined when the request had none (e.g. `Decrypt`). */
  readonly keyId: string | undefined;
}

/** The KMS half of the fake, as tests drive it. */
export interface FakeKms {
  /**
   * Adds an RSA signing key (the given private key, or a fresh RSA-2048 one) and points
   * `alias/<aliasName>` (default `alias/app-key`) at it, moving the alias if it existed.
   */
  createSigningKey(privateKey?: KeyObject, aliasName?: string): FakeKmsSigningKey;
  /** Adds a symmetric (`SYMMETRIC_DEFAULT`) key for Encrypt and Decrypt. */
  createSymmetricKey(): FakeKmsKey;
  /** Disables the key any `KeyId` form names: it then answers `DisabledException`. */
  disableKey(keyId: string): void;
  /** Enables a disabled key again. */
  enableKey(keyId: string): void;
  /**
   * The next `count` KMS requests (default 1), of any operation, answer `status` with
   * `{"__type": type}`. The SDK retries 5xx and throttling errors, so script enough of them.
   */
  failNext(status: number, type: string, count?: number): void;
  /** `Sign` requests received so far, including those answered with an error. */
  readonly signRequests: number;
  /** Every KMS request so far, oldest first. */
  readonly requests: readonly RecordedKmsRequest[];
}

/** A fake KMS: the handle tests use, and the operation dispatcher the server calls. */
export interface FakeKmsService {
  readonly api: FakeKms;
  handle(operation: string, input: AwsInput): AwsReply;
}

type KmsOperation = typeof kmsSign;

const operations: ReadonlyMap<string, KmsOperation> = new Map([
  ['Sign', kmsSign],
  ['GetPublicKey', kmsGetPublicKey],
  ['Encrypt', kmsEncrypt],
  ['Decrypt', kmsDecrypt],
]);

/** Creates a fake KMS with no keys, whose ARNs carry `region` and `accountId`. */
export function createFakeKms(where: { readonly region: string; readonly accountId: string }): FakeKmsService {
  const keys = createKmsKeyStore(where);
  const requests: RecordedKmsRequest[] = [];
  const failures: { readonly status: number; readonly type: string }[] = [];

  const setEnabled = (keyId: string, enabled: boolean): void => {
    const key = keys.resolve(keyId);
    if (key === undefined) throw new StandInUsageError(`the fake KMS has no key "${keyId}"`);
    key.enabled = enabled;
  };

  const api: FakeKms = {
    createSigningKey: (privateKey, aliasName = 'app-key') => keys.addSigningKey(privateKey, aliasName),
    createSymmetricKey: () => keys.addSymmetricKey(),
    disableKey: (keyId) => setEnabled(keyId, false),
    enableKey: (keyId) => setEnabled(keyId, true),
    failNext: (status, type, count = 1) => {
      for (let i = 0; i < count; i += 1) failures.push({ status, type });
    },
    get signRequests() {
      return requests.filter((request) => request.operation === 'Sign').length;
    },
    requests,
  };

  return {
    api,
    handle: (operation, input) => {
      requests.push({ operation, keyId: stringMember(input, 'KeyId') });
      const failure = failures.shift();
      if (failure !== undefined) return awsError(failure.type, 'scripted failure of the fake KMS', failure.status);
      const run = operations.get(operation);
      if (run === undefined) return awsError('UnknownOperationException', `the fake KMS does not implement ${operation}`);
      return run(keys, input);
    },
  };
}
