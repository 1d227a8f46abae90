import { exportJWK, generateKeyPair, type CryptoKey, type JSONWebKeySet, type JWK } from 'jose';

/** One RS256 key of the dev issuer. */
export interface SigningKey {
  readonly kid: string;
  readonly privateKey: CryptoKey;
  readonly publicJwk: JWK;
}

/**
 * The issuer's keys, newest last. The newest signs; every key stays in the JWKS, as a real
 * issuer keeps retired keys published until tokens signed with them have expired.
 */
export interface SigningKeyRing {
  /** The key new tokens are signed with. */
  current(): SigningKey;
  /** Adds a new key (`dev-key-<n+1>`) that becomes the signing key; returns its kid. */
  rotate(): Promise<string>;
  /** The public JWKS with every key, as a fresh object each call. */
  jwks(): JSONWebKeySet;
}

/** Creates a key ring holding one RSA-2048 key, kid `dev-key-1`: the given one, or a fresh one. */
export async function createSigningKeyRing(given?: SigningKey): Promise<SigningKeyRing> {
  const first = given ?? (await generateSigningKey('dev-key-1'));
  const keys: SigningKey[] = [first];
  return {
    current: () => keys.at(-1) ?? first,
    rotate: async () => {
      const key = await generateSigningKey(`dev-key-${keys.length + 1}`);
      keys.push(key);
      return key.kid;
    },
    jwks: () => ({ keys: keys.map((key) => ({ ...key.publicJwk })) }),
  };
}

/** A fresh RSA-2048 signing key. */
export async function generateSigningKey(kid: string): Promise<SigningKey> {
  const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true, modulusLength: 2048 });
  // An RSA public key exports as exactly { kty, n, e }.
  const publicJwk: JWK = { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' };
  return { kid, privateKey, publicJwk };
}
