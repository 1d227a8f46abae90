import { DecryptCommand, type KMSClient } from '@aws-sdk/client-kms';
import {
  GetSecretValueCommand,
  type SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { InternalError, UpstreamFailedError } from '../../errors.js';
import { sendOrFail } from '../../lib/aws-service-failure.js';
import type { Upstream } from '../../lib/upstream.js';
import { parseAwsKeysetUris, type AwsKeysetUris } from './aws-keyset-uris.js';

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
