import { createHmac, generateKeyPairSync, sign } from 'node:crypto';
import type { JWK } from 'jose';

const b64 = (value: unknown) => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');

export interface ForgeryInput {
  /** A token the issuer really signed; its claims are reused. */
  readonly valid: string;
  /** The issuer's public key, as its JWKS publishes it. */
  readonly publicJwk: JWK;
}

/**
 * Tokens an attacker can make without the issuer's private key, each carrying the claims
 * of a real token: `alg: none`, HS256 keyed with the public key (algorithm confusion), a
 * real RS256 signature by another key under the issuer's `kid`, a swapped or edited
 * payload under the real signature, a `jku`/`jwk` pointing elsewhere, and broken framing.
 */
export function forgedTokens({ valid, publicJwk }: ForgeryInput): string[] {
  const [header = '', payload = '', signature = ''] = valid.split('.');
  const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as Record<string, unknown>;
  const kid = publicJwk.kid ?? 'dev-key-1';
  const otherKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
  const rs256 = (h: object, c: object) => {
    const input = `${b64(h)}.${b64(c)}`;
    return `${input}.${sign('sha256', Buffer.from(input), otherKey).toString('base64url')}`;
  };
  const hs256 = (secret: string) => {
    const input = `${b64({ alg: 'HS256', kid })}.${payload}`;
    return `${input}.${createHmac('sha256', secret).update(input).digest('base64url')}`;
  };
  const escalated = b64({ ...claims, pipeline_slug: 'deploy-prod', organization_slug: 'acme' });
  return [
    `${b64({ alg: 'none' })}.${payload}.`,
    `${b64({ alg: 'none', kid })}.${payload}.${signature}`,
    `${b64({ alg: 'NONE' })}.${payload}.`,
    hs256(JSON.stringify(publicJwk)),
    hs256(publicJwk.n ?? ''),
    rs256({ alg: 'RS256', kid }, claims),
    rs256({ alg: 'RS256', kid, jwk: { kty: 'RSA' } }, claims),
    rs256({ alg: 'RS256', kid: 'attacker', jku: 'http://127.0.0.1:1/jwks' }, claims),
    `${header}.${escalated}.${signature}`,
    `${header}.${payload}x.${signature}`,
    `${header}.${payload}.${signature.slice(0, -4)}`,
    `${header}.${payload}.${signature.split('').reverse().join('')}`,
    `${header}.${payload}`,
    `${header}.${payload}.${signature}.${signature}`,
    `${header}..${signature}`,
    `.${payload}.${signature}`,
    valid.toUpperCase(),
    `${b64({ alg: 'RS256', kid, crit: ['exp'] })}.${payload}.${signature}`,
    `${b64('[]')}.${payload}.${signature}`,
    `${b64('null')}.${b64('null')}.${signature}`,
  ];
}
