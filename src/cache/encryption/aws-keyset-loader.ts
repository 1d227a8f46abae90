import { DecryptCommand, type KMSClient } from '@aws-sdk/client-kms';
import {
  GetSecretValueCommand,
  type SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { InternalError, UpstreamFailedError } from '../../errors.js';
import { sendOrFail } from '../../lib/aws-service-failure.js';
import type { Upstream } from '../../lib/upstream.js';

const secretsPrefix = 'aws-secretsmanager://';
const kmsPrefix = 'aws-kms://';
/** Tink's AWS KMS client takes the region from the ARN, so anything else cannot work. */
const kmsArnPattern = /^arn:aws[a-zA-Z0-9-]*:kms:[a-z0-9-]+:/;

/** Where a Tink keyset encrypted with a KMS key lives, as configured. */
export interface AwsKeysetUris {
  /** `aws-secretsmanager://<name>` (`CACHE_ENCRYPTION_KEYSET_URI`). */
  readonly secretUri: string;
  /** `aws-kms://<key ARN>` (`CACHE_ENCRYPTION_KMS_ENVELOPE_KEY_URI`). */
  readonly kmsKeyUri: string;
}

/** The validated {@link AwsKeysetUris}: what the AWS calls take. */
export interface AwsKeysetLocation {
  /** The `SecretId` of GetSecretValue. */
  readonly secretName: string;
  /** The `KeyId` of KMS Decrypt. */
  readonly kmsKeyArn: string;
}

export type AwsKeysetUrisResult =
  | { readonly ok: true; readonly location: AwsKeysetLocation }
  | { readonly ok: false; readonly problems: readonly string[] };

/**
 * Checks both URIs as Chinmina does, reporting every problem: `invalid secrets manager URI
 * "<u>": must start with aws-secretsmanager://` or `...: secret name is empty`, and
 * `invalid KMS key URI "<u>": must start with aws-kms://`, `...: key ARN is empty` or
 * `...: must name a KMS key ARN (arn:<partition>:kms:<region>:…)`.
 */
export function parseAwsKeysetUris(uris: AwsKeysetUris): AwsKeysetUrisResult {
  const problems: string[] = [];
  const { secretUri, kmsKeyUri } = uris;
  const secretName = secretUri.slice(secretsPrefix.length);
  const kmsKeyArn = kmsKeyUri.slice(kmsPrefix.length);
  if (!secretUri.startsWith(secretsPrefix)) {
    problems.push(`invalid secrets manager URI "${secretUri}": must start with ${secretsPrefix}`);
  } else if (secretName === '') problems.push(`invalid secrets manager URI "${secretUri}": secret name is empty`);
  if (!kmsKeyUri.startsWith(kmsPrefix)) problems.push(`invalid KMS key URI "${kmsKeyUri}": must start with ${kmsPrefix}`);
  else if (kmsKeyArn === '') problems.push(`invalid KMS key URI "${kmsKeyUri}": key ARN is empty`);
  else if (!kmsArnPattern.test(kmsKeyArn)) {
    problems.push(`invalid KMS key URI "${kmsKeyUri}": must name a KMS key ARN (arn:<partition>:kms:<region>:…)`);
  }
  return problems.length > 0 ? { ok: false, problems } : { ok: true, location: { secretName, kmsKeyArn } };
}

/** Options of {@link loadAwsKeyset}. */
export interface LoadAwsKeysetOptions extends AwsKeysetUris {
  readonly secrets: SecretsManagerClient;
  readonly kms: KMSClient;
  /** The `secrets-manager` and `kms` upstreams: deadline, abort and reporting per call. */
  readonly upstreams: { readonly secrets: Upstream; readonly kms: Upstream };
}

/**
 * Reads a Tink encrypted keyset (`{"encryptedKeyset": base64, "keysetInfo": …}`, as
 * `tinkey --master-key-uri aws-kms://…` writes it) from the secret's `SecretString` and
 * decrypts it with KMS (`KeyId` = the ARN, no encryption context, as Tink's KMS AEAD does
 * with no associated data). Returns the plaintext: the binary Keyset protobuf, which is
 * key material and must not be logged.
 *
 * @throws {InternalError} when the URIs are invalid (configuration should have refused them).
 * @throws {UpstreamFailedError} when either service refuses (detail: the AWS error name
 * only), the secret has no `SecretString`, or it is not an encrypted keyset; timeouts and
 * network failures come from the upstream wrappers.
 */
export async function loadAwsKeyset(options: LoadAwsKeysetOptions): Promise<Buffer> {
  const parsed = parseAwsKeysetUris(options);
  if (!parsed.ok) throw new InternalError(parsed.problems.join('; '));
  const { secretName, kmsKeyArn } = parsed.location;
  const secretString = await readSecretString(options, secretName);
  const encryptedKeyset = parseEncryptedKeyset(secretString, options.upstreams.secrets.name);
  const upstream = options.upstreams.kms;
  return upstream.call('decrypt', async (signal) => {
    const command = new DecryptCommand({ KeyId: kmsKeyArn, CiphertextBlob: encryptedKeyset });
    const output = await sendOrFail(upstream, 'decrypt', () => options.kms.send(command, { abortSignal: signal }));
    if (output.Plaintext === undefined || output.Plaintext.length === 0) {
      throw new UpstreamFailedError(upstream.name, 'decrypt', 'no plaintext in the answer');
    }
    return Buffer.from(output.Plaintext);
  });
}

async function readSecretString(options: LoadAwsKeysetOptions, secretName: string): Promise<string> {
  const upstream = options.upstreams.secrets;
  return upstream.call('get secret value', async (signal) => {
    const command = new GetSecretValueCommand({ SecretId: secretName });
    const output = await sendOrFail(upstream, 'get secret value', () =>
      options.secrets.send(command, { abortSignal: signal }),
    );
    if (output.SecretString === undefined) {
      throw new UpstreamFailedError(upstream.name, 'get secret value', 'the secret has no string value');
    }
    return output.SecretString;
  });
}

/** The KMS ciphertext of a Tink encrypted JSON keyset; throws when the secret is not one. */
function parseEncryptedKeyset(secretString: string, upstreamName: string): Buffer {
  const fail = (reason: string): never => {
    throw new UpstreamFailedError(upstreamName, 'get secret value', `the secret is not an encrypted keyset: ${reason}`);
  };
  let value: unknown;
  try {
    value = JSON.parse(secretString);
  } catch {
    // The parser's message quotes the secret; the reason alone is enough to act on.
    return fail('not JSON');
  }
  if (typeof value !== 'object' || value === null || !('encryptedKeyset' in value)) return fail('no encryptedKeyset');
  const encoded = value.encryptedKeyset;
  if (typeof encoded !== 'string' || !/^[A-Za-z0-9+/]+={0,2}$/.test(encoded)) return fail('encryptedKeyset is not base64');
  return Buffer.from(encoded, 'base64');
}
