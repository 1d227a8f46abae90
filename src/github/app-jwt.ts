import { BridgeError, InternalError } from '../errors.js';
import type { Clock } from '../lib/clock.js';
import type { Rs256Signer } from './rs256-signer.js';

/** Hands out a GitHub App JWT, minting a new one only when the last is about to expire. */
export type AppJwtSource = () => Promise<string>;

export interface AppJwtSourceOptions {
  readonly appId: string;
  readonly signer: Rs256Signer;
  readonly clock: Clock;
}

/** GitHub refuses App JWTs whose `exp` is more than 10 minutes ahead; stay under it. */
const lifetimeSecs = 9 * 60;
/** Clocks drift: `iat` is backdated as GitHub recommends. */
const backdateSecs = 60;
/** A JWT is replaced this long before it expires, so none expires in flight. */
const renewBeforeSecs = 60;

const encoder = new TextEncoder();
const base64url = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64url');

/**
 * The App JWT (`iss` = App ID, RS256, no `kid`), reused until a minute before it expires;
 * concurrent callers share one signing, so a remote signer is called once per JWT.
 */
export function createAppJwtSource(options: AppJwtSourceOptions): AppJwtSource {
  const { clock } = options;
  let current: { jwt: string; renewAtMs: number; usableUntilMs: number } | undefined;
  let signing: Promise<string> | undefined;

  async function mint(): Promise<string> {
    const nowSecs = Math.floor(clock.nowMs() / 1000);
    const header = base64url(encoder.encode(JSON.stringify({ alg: 'RS256', typ: 'JWT' })));
    const claims = { iat: nowSecs - backdateSecs, exp: nowSecs + lifetimeSecs, iss: options.appId };
    const signingInput = `${header}.${base64url(encoder.encode(JSON.stringify(claims)))}`;
    let signature: Uint8Array;
    try {
      signature = await options.signer.sign(encoder.encode(signingInput));
    } catch (error) {
      // A remote signer reports its own upstream failures; a local key failing is our bug.
      if (error instanceof BridgeError) throw error;
      throw new InternalError('could not sign the GitHub App JWT', { cause: error });
    }
    const jwt = `${signingInput}.${base64url(signature)}`;
    current = { jwt, renewAtMs: (claims.exp - renewBeforeSecs) * 1000, usableUntilMs: (claims.exp - 10) * 1000 };
    return jwt;
  }

  return () => {
    if (current !== undefined && clock.nowMs() < current.renewAtMs) return Promise.resolve(current.jwt);
    signing ??= mint().finally(() => {
      signing = undefined;
    });
    // A signer outage during renewal (KMS down) costs nothing while the current JWT lasts.
    const fallback = current;
    if (fallback === undefined) return signing;
    return signing.catch((error: unknown) => {
      if (clock.nowMs() < fallback.usableUntilMs) return fallback.jwt;
      throw error;
    });
  };
}
