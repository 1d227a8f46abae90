import { KMSServiceException } from '@aws-sdk/client-kms';
import { SecretsManagerServiceException } from '@aws-sdk/client-secrets-manager';
import { UpstreamFailedError } from '../errors.js';
import type { Upstream } from './upstream.js';

/**
 * Sends an AWS request, turning a service error (AWS answering: a disabled key, access
 * denied) into {@link UpstreamFailedError} named by its type only: AWS messages name
 * accounts and keys. Anything else (network, abort) passes through for the upstream to classify.
 */
export async function sendOrFail<T>(upstream: Upstream, operation: string, send: () => Promise<T>): Promise<T> {
  try {
    return await send();
  } catch (error) {
    if (error instanceof KMSServiceException || error instanceof SecretsManagerServiceException) {
      throw new UpstreamFailedError(upstream.name, operation, error.name, { cause: error });
    }
    throw error;
  }
}
