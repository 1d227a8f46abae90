import { createHash } from 'node:crypto';
import { SignCommand, type KMSClient } from '@aws-sdk/client-kms';
import { UpstreamFailedError } from '../errors.js';
import { sendOrFail } from '../lib/aws-service-failure.js';
import type { Upstream } from '../lib/upstream.js';
import type { Rs256Signer } from './rs256-signer.js';

/** Options of {@link createKmsSigner}. */
export interface KmsSignerOptions {
  /** A KMS client; its region, credentials and endpoint come from whoever builds it. */
  readonly client: KMSClient;
  /** The key ARN or alias ARN (`GITHUB_APP_PRIVATE_KEY_ARN`) of an RSA `SIGN_VERIFY` key. */
  readonly keyId: string;
  /** The `kms` upstream: deadline, abort and reporting of each Sign call. */
  readonly upstream: Upstream;
}

/**
 * An RS256 signer whose private key never leaves AWS KMS. As Chinmina does, the SHA-256 of
 * the data is computed here and KMS signs the digest (`MessageType: DIGEST`,
 * `RSASSA_PKCS1_V1_5_SHA_256`), so the signing input itself is never sent; the signature
 * KMS returns is used verbatim.
 *
 * `sign` rejects with {@link UpstreamFailedError} (`upstream` = the upstream's name,
 * operation `sign`) when KMS refuses (disabled or unknown key, access denied), with only
 * the AWS error name as detail: AWS messages name accounts and keys, which the audit
 * record does not need. Timeouts and network failures come from the upstream wrapper.
 */
export function createKmsSigner(options: KmsSignerOptions): Rs256Signer {
  const { client, keyId, upstream } = options;
  return {
    sign: (data) => {
      const digest = createHash('sha256').update(data).digest();
      const command = new SignCommand({
        KeyId: keyId,
        Message: digest,
        MessageType: 'DIGEST',
        SigningAlgorithm: 'RSASSA_PKCS1_V1_5_SHA_256',
      });
      return upstream.call('sign', async (signal) => {
        const { Signature: signature } = await sendOrFail(upstream, 'sign', () =>
          client.send(command, { abortSignal: signal }),
        );
        if (signature === undefined || signature.length === 0) {
          throw new UpstreamFailedError(upstream.name, 'sign', 'no signature in the answer');
        }
        return signature;
      });
    },
  };
}
