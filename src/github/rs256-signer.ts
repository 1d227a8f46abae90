import { sign, type KeyObject } from 'node:crypto';

/**
 * Signs bytes with RSASSA-PKCS1-v1_5 over SHA-256 (JWS `RS256`). Asynchronous so that a
 * key held elsewhere (AWS KMS) fits the same shape as a local one.
 */
export interface Rs256Signer {
  sign(data: Uint8Array): Promise<Uint8Array>;
}

/** A signer over a local RSA private key (`GITHUB_APP_PRIVATE_KEY`). */
export function createPemSigner(privateKey: KeyObject): Rs256Signer {
  return {
    sign: (data) =>
      new Promise((resolve, reject) => {
        sign('sha256', data, privateKey, (error, signature) => (error ? reject(error) : resolve(signature)));
      }),
  };
}
