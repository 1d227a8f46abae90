import { KMSClient } from '@aws-sdk/client-kms';
import type { Config } from '../config/load-config.js';
import { InternalError } from '../errors.js';
import { createKmsSigner } from '../github/kms-signer.js';
import { createPemSigner, type Rs256Signer } from '../github/rs256-signer.js';
import type { Upstream } from '../lib/upstream.js';
import { regionOfArn } from './aws-defaults.js';

/**
 * The App JWT signer: the KMS key when `GITHUB_APP_PRIVATE_KEY_ARN` is set (the process
 * never sees the key; the key's region comes from its ARN), else the PEM key.
 */
export function appSignerFor(github: Config['github'], kmsUpstream: Upstream): Rs256Signer {
  if (github.privateKeyArn !== undefined) {
    const region = regionOfArn(github.privateKeyArn);
    const client = new KMSClient(region === undefined ? {} : { region });
    return createKmsSigner({ client, keyId: github.privateKeyArn, upstream: kmsUpstream });
  }
  if (github.privateKey === undefined) throw new InternalError('configuration holds neither a PEM key nor a KMS key');
  return createPemSigner(github.privateKey);
}
