import { createPrivateKey, type KeyObject } from 'node:crypto';
import type { JSONWebKeySet } from 'jose';

export type Parsed<T> = { ok: true; value: T } | { ok: false; problem: string };

/** Parses an RSA private key in PEM form, PKCS#1 or PKCS#8; the problem never quotes the key. */
export function parseRsaPrivateKey(name: string, pem: string): Parsed<KeyObject> {
  try {
    const key = createPrivateKey({ key: pem, format: 'pem' });
    if (key.asymmetricKeyType !== 'rsa') {
      return { ok: false, problem: `${name}: must be an RSA key, got ${key.asymmetricKeyType ?? 'unknown'}` };
    }
    return { ok: true, value: key };
  } catch {
    return { ok: false, problem: `${name}: not a PKCS#1 or PKCS#8 RSA private key in PEM form` };
  }
}

/** Parses a JWKS, or a single JWK, into a key set of RSA public keys. */
export function parseStaticJwks(name: string, json: string): Parsed<JSONWebKeySet> {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    return { ok: false, problem: `${name}: not valid JSON` };
  }
  const keys: unknown = isRecord(value) && Array.isArray(value.keys) ? value.keys : [value];
  if (!Array.isArray(keys) || keys.length === 0 || !keys.every((key) => isRecord(key) && key.kty === 'RSA')) {
    return { ok: false, problem: `${name}: must be a JWKS or JWK of RSA public keys` };
  }
  if (keys.some((key: Record<string, unknown>) => 'd' in key)) {
    return { ok: false, problem: `${name}: must hold public keys only` };
  }
  return { ok: true, value: { keys } };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
