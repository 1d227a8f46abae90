import { BridgeError, InternalError } from '../errors.js';
import type { Clock } from '../lib/clock.js';
import { createFreshValue, type Fresh } from '../lib/fresh-value.js';
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
 * concurrent callers share one signing, so a remote signer is called once per JWT. A
 * signer outage during renewal (KMS down) costs nothing while the current JWT lasts.
 */
export function createAppJwtSource(options: AppJwtSourceOptions): AppJwtSource {
  const { clock } = options;

  async function mint(): Promise<Fresh<string>> {
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
    return {
      value: `${signingInput}.${base64url(signature)}`,
      renewAtMs: (claims.exp - renewBeforeSecs) * 1000,
      usableUntilMs: (claims.exp - 10) * 1000,
    };
  }

  const jwt = createFreshValue({ load: mint, clock, renewal: 'wait' });
  return () => jwt.get();
}
