import { KeyObject, verify as verifySignature, type webcrypto } from 'node:crypto';
import type { JWTHeaderParameters } from 'jose';
import { TokenInvalidError } from '../errors.js';
import type { KeyResolver } from './key-resolver.js';

/** The smallest RSA modulus accepted, as RFC 7518 requires for RS256 (and jose enforces). */
const minimumModulusBits = 2048;
const base64UrlText = /^[A-Za-z0-9_-]+$/;

/**
 * Verifies an RS256 compact JWS (`header.payload.signature`) with a key from `keys` and
 * answers its payload, parsed from JSON. RS256 is the one algorithm accepted, whatever the
 * header says; a `crit` header is refused (no extension is understood), as is an RSA key
 * under 2048 bits. The check is node:crypto's synchronous RSA verify: WebCrypto's
 * asynchronous one costs several times more per token. Throws {@link TokenInvalidError};
 * errors of `keys` (keys unavailable) pass through.
 */
export async function verifyRs256Jws(token: string, keys: KeyResolver, keyObjects: KeyObjectsOf): Promise<Record<string, unknown>> {
  const parts = token.split('.');
  const [encodedHeader, encodedPayload, encodedSignature] = parts;
  if (parts.length !== 3 || encodedHeader === undefined || encodedPayload === undefined || encodedSignature === undefined) {
    throw new TokenInvalidError('token is not a compact JWS of three parts');
  }
  if (!base64UrlText.test(encodedHeader) || !base64UrlText.test(encodedPayload) || !base64UrlText.test(encodedSignature)) {
    throw new TokenInvalidError('token part is not base64url');
  }
  const header = jsonObjectOf(encodedHeader, 'header');
  if (header.alg !== 'RS256') throw new TokenInvalidError('"alg" (Algorithm) Header Parameter value not allowed');
  if (header.crit !== undefined) throw new TokenInvalidError('"crit" (Critical) Header Parameter not supported');
  // The header is a JSON object whose `alg` is RS256: the resolver's header shape.
  const resolved = await keys(header as unknown as JWTHeaderParameters, {
    protected: encodedHeader,
    payload: encodedPayload,
    signature: encodedSignature,
  });
  const key = keyObjects(resolved);
  const signed = Buffer.from(`${encodedHeader}.${encodedPayload}`);
  if (!verifySignature('sha256', signed, key, Buffer.from(encodedSignature, 'base64url'))) {
    throw new TokenInvalidError('signature verification failed');
  }
  return jsonObjectOf(encodedPayload, 'payload');
}

/** Turns what a key resolver answers into a usable RSA public key, or throws. */
export type KeyObjectsOf = (resolved: unknown) => KeyObject;

/**
 * Converts resolved keys (jose resolvers answer WebCrypto `CryptoKey`s) to `KeyObject`s,
 * remembering each conversion: a key set answers the same key object token after token.
 */
export function rememberedKeyObjects(): KeyObjectsOf {
  const remembered = new WeakMap<object, KeyObject>();
  return (resolved) => {
    if (typeof resolved !== 'object' || resolved === null) throw new TokenInvalidError('resolved key is not a public key');
    let key = remembered.get(resolved);
    if (key === undefined) {
      key = rsaPublicKeyOf(resolved);
      remembered.set(resolved, key);
    }
    return key;
  };
}

function rsaPublicKeyOf(resolved: object): KeyObject {
  const key = resolved instanceof KeyObject ? resolved : keyObjectOfCryptoKey(resolved);
  const modulusBits = key.asymmetricKeyDetails?.modulusLength ?? 0;
  if (key.type !== 'public' || key.asymmetricKeyType !== 'rsa' || modulusBits < minimumModulusBits) {
    throw new TokenInvalidError(`key is not an RSA public key of at least ${minimumModulusBits} bits`);
  }
  return key;
}

function keyObjectOfCryptoKey(resolved: object): KeyObject {
  try {
    // KeyObject.from checks that it is given a CryptoKey, and throws otherwise.
    return KeyObject.from(resolved as webcrypto.CryptoKey);
  } catch (error) {
    throw new TokenInvalidError('resolved key is not a public key', { cause: error });
  }
}

function jsonObjectOf(encoded: string, part: 'header' | 'payload'): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(encoded, 'base64url').toString('utf8'));
  } catch (error) {
    throw new TokenInvalidError(`token ${part} is not JSON`, { cause: error });
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new TokenInvalidError(`token ${part} is not a JSON object`);
  }
  // A non-null, non-array object, checked above.
  return parsed as Record<string, unknown>;
}
