import type { IncomingMessage, ServerResponse } from 'node:http';
import { SignJWT, type JSONWebKeySet, type JWTHeaderParameters } from 'jose';
import { systemClock, type Clock } from '../lib/clock.js';
import { buildClaims, type ClaimOverrides } from './issued-claims.js';
import { sendJson, sendText } from './send-json.js';
import { createSigningKeyRing, type SigningKey, type SigningKeyRing } from './signing-keys.js';
import { startHttpServer, type ListenOptions, type StandInHandle } from './start-http-server.js';

/** Options of {@link startOidcIssuer}. */
export interface OidcIssuerOptions extends ListenOptions {
  /** Source of `iat`/`nbf`/`exp`; defaults to the system clock. */
  readonly clock?: Clock;
  /** The first signing key (kid `dev-key-1`); fresh when omitted. Tests reuse one to start faster. */
  readonly signingKey?: SigningKey;
  /**
   * The issuer string (`iss`, discovery `issuer`, base of `jwks_uri`) when it is not the
   * listen address: behind a port mapping or in a container network, where clients reach
   * the issuer by a name it cannot see. Default: {@link StandInHandle.url}.
   */
  readonly issuerUrl?: string;
}

/** Header members to set on top of `{ alg: 'RS256', typ: 'JWT', kid }`; `undefined` removes one. */
export type HeaderOverrides = { [K in keyof JWTHeaderParameters]?: JWTHeaderParameters[K] | undefined };

/** Options of {@link OidcIssuer.signToken}. */
export interface SignTokenOptions {
  /** Seconds from `iat` to `exp`; default 300. */
  readonly lifetimeSecs?: number;
  /** The `aud` claim; default `app-token-issuer`. */
  readonly audience?: string;
  readonly header?: HeaderOverrides;
}

/** A running dev OIDC issuer; its issuer string is exactly `issuer`. */
export interface OidcIssuer extends StandInHandle {
  /** The `iss` of its tokens and of its discovery document: `issuerUrl` if given, else `url`. */
  readonly issuer: string;
  /** `<url>/.well-known/jwks.json`: where the keys are, from where the caller started it. */
  readonly jwksUrl: string;
  /** The public keys, for configuring a static JWKS instead of discovery. */
  readonly jwks: JSONWebKeySet;
  /** Requests the JWKS endpoint has received, including ones answered 503. */
  readonly jwksRequests: number;
  /** Signs an RS256 JWT with Buildkite-like default claims overridden by `claims`. */
  signToken(claims?: ClaimOverrides, options?: SignTokenOptions): Promise<string>;
  /** While true, discovery and JWKS answer 503. */
  setUnavailable(unavailable: boolean): void;
  /** Adds a signing key (`dev-key-2`, …) and signs with it from now on; returns its kid. */
  rotateKey(): Promise<string>;
}

/** The `aud` a token gets when neither the caller nor the request names one. */
export const defaultAudience = 'app-token-issuer';

/** Query parameters `GET /request-token` copies into the token's claims. */
const requestTokenClaims = [
  'organization_slug',
  'pipeline_slug',
  'pipeline_id',
  'build_branch',
  'build_commit',
  'step_key',
  'job_id',
  'agent_id',
] as const;

/**
 * Starts an OIDC issuer standing in for Buildkite's (`https://agent.buildkite.com`):
 * discovery, JWKS and, for humans in a shell, `GET /request-token` in place of
 * `buildkite-agent oidc request-token`.
 */
export async function startOidcIssuer(options: OidcIssuerOptions = {}): Promise<OidcIssuer> {
  const clock = options.clock ?? systemClock;
  const keys = await createSigningKeyRing(options.signingKey);
  const state = { jwksRequests: 0, unavailable: false };
  let issuer = '';

  const signToken = (claims: ClaimOverrides = {}, signOptions: SignTokenOptions = {}): Promise<string> =>
    signWith(keys, {
      claims: buildClaims(
        {
          issuer,
          audience: signOptions.audience ?? defaultAudience,
          nowSecs: Math.floor(clock.nowMs() / 1000),
          lifetimeSecs: signOptions.lifetimeSecs ?? 300,
        },
        claims,
      ),
      header: signOptions.header ?? {},
    });

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', issuer);
    const route = `${req.method ?? ''} ${url.pathname}`;
    if (route === 'GET /.well-known/jwks.json') state.jwksRequests += 1;
    if (route === 'GET /.well-known/openid-configuration' || route === 'GET /.well-known/jwks.json') {
      if (state.unavailable) return sendJson(res, 503, { message: 'Service Unavailable' });
      const body =
        route === 'GET /.well-known/jwks.json' ? keys.jwks() : { issuer, jwks_uri: `${issuer}/.well-known/jwks.json` };
      return sendJson(res, 200, body);
    }
    if (route === 'GET /request-token') {
      const token = await signToken(claimsFromQuery(url.searchParams), {
        audience: url.searchParams.get('audience') ?? defaultAudience,
      });
      return sendText(res, 200, `${token}\n`);
    }
    sendJson(res, 404, { message: 'Not Found' });
  };

  const server = await startHttpServer(handle, options);
  issuer = options.issuerUrl ?? server.url;
  return {
    url: server.url,
    issuer,
    jwksUrl: `${server.url}/.well-known/jwks.json`,
    close: server.close,
    get jwks() {
      return keys.jwks();
    },
    get jwksRequests() {
      return state.jwksRequests;
    },
    signToken,
    setUnavailable: (unavailable) => {
      state.unavailable = unavailable;
    },
    rotateKey: () => keys.rotate(),
  };
}

function claimsFromQuery(params: URLSearchParams): ClaimOverrides {
  const claims: ClaimOverrides = {};
  for (const name of requestTokenClaims) {
    const value = params.get(name);
    if (value !== null) claims[name] = value;
  }
  return claims;
}

async function signWith(
  keys: SigningKeyRing,
  input: { readonly claims: Record<string, unknown>; readonly header: HeaderOverrides },
): Promise<string> {
  const key = keys.current();
  const header: Record<string, unknown> = { alg: 'RS256', typ: 'JWT', kid: key.kid, ...input.header };
  for (const [name, value] of Object.entries(header)) {
    if (value === undefined) delete header[name];
  }
  // The defaults above always set `alg`; an override may change it, and jose then refuses
  // to sign with an RSA key unless the algorithm fits, which is what such a test wants.
  const protectedHeader = header as JWTHeaderParameters;
  return new SignJWT(input.claims).setProtectedHeader(protectedHeader).sign(key.privateKey);
}
