import { KeyObject, sign } from 'node:crypto';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildClaims } from '../../src/dev/issued-claims.js';
import { generateSigningKey, type SigningKey } from '../../src/dev/signing-keys.js';
import { createManualClock } from '../../src/lib/clock.js';
import { parseBuildkiteClaims } from '../../src/oidc/buildkite-claims.js';
import { createStaticKeyResolver } from '../../src/oidc/key-resolver.js';
import { createTokenVerifier, type TokenVerifier } from '../../src/oidc/token-verifier.js';
import { startMs, startSecs, tokenInvalid } from './oidc-fixtures.js';

const numRuns = 150;
const issuer = 'https://agent.buildkite.com';
const audience = 'chinmina:acme';
const b64 = (text: string) => Buffer.from(text).toString('base64url');
const validPayload = () => buildClaims({ issuer, audience, nowSecs: startSecs, lifetimeSecs: 300 });

let key: SigningKey;
let verify: TokenVerifier;
beforeAll(async () => {
  key = await generateSigningKey('k1');
  const clock = createManualClock(startMs);
  verify = createTokenVerifier({ issuer, audience, organizationSlug: 'acme', keys: createStaticKeyResolver({ keys: [key.publicJwk] }), clock });
});

/** A compact JWS over the exact header and payload text, really signed RS256 with the issuer's key. */
function signed(headerText: string, payloadText: string): string {
  const input = `${b64(headerText)}.${b64(payloadText)}`;
  return `${input}.${sign('sha256', Buffer.from(input), KeyObject.from(key.privateKey)).toString('base64url')}`;
}

type Verdict = { accepted: true; claims: unknown } | { accepted: false };

/** The verifier's answer; anything thrown but token_invalid fails the property. */
async function verdictOf(token: string): Promise<Verdict> {
  try {
    return { accepted: true, claims: await verify(token) };
  } catch (error) {
    expect(error).toMatchObject(tokenInvalid);
    return { accepted: false };
  }
}

const claimName = fc.oneof(
  fc.constantFrom('iss', 'aud', 'exp', 'nbf', 'iat', 'sub', 'organization_slug', 'pipeline_slug', 'pipeline_id', 'build_number', 'job_id', 'agent_tag:queue', 'build_tag', '__proto__'),
  fc.string({ maxLength: 12 }),
);
const claimValue = fc.oneof(
  fc.jsonValue({ maxDepth: 2 }),
  fc.constantFrom(issuer, audience, [audience, 'other'], 'acme', 'other-org', startSecs - 600, startSecs + 3600, startSecs + 3.5, -1, 1e308),
);
const headerName = fc.oneof(fc.constantFrom('alg', 'kid', 'typ', 'crit', 'b64', 'jku', 'x5u', 'jwk', 'cty', 'zip'), fc.string({ maxLength: 8 }));
const headerValue = fc.oneof(
  fc.jsonValue({ maxDepth: 2 }),
  fc.constantFrom('RS256', 'none', 'HS256', 'RS384', 'PS256', 'ES256', 'rs256', 'k1', 'k2', 'JWT', false, ['b64'], ['exp'], { kty: 'oct', k: 'AAAA' }),
);

describe('token verifier, on arbitrary tokens signed with the real key', () => {
  it('accepts a changed claims set only with exactly its own claims, of the right issuer, audience, organization and time', async () => {
    const outcomes = { accepted: 0, refused: 0 };
    await fc.assert(
      fc.asyncProperty(fc.dictionary(claimName, claimValue, { maxKeys: 3 }), fc.subarray(['exp', 'nbf', 'sub', 'iss', 'aud', 'job_id']), async (changes, dropped) => {
        const payload: Record<string, unknown> = { ...validPayload(), ...changes };
        for (const name of dropped) delete payload[name];
        const verdict = await verdictOf(signed(JSON.stringify({ alg: 'RS256', kid: 'k1', typ: 'JWT' }), JSON.stringify(payload)));
        outcomes[verdict.accepted ? 'accepted' : 'refused'] += 1;
        if (!verdict.accepted) return;
        // Round trip: the verifier adds, drops and alters nothing of what was signed.
        expect(parseBuildkiteClaims(JSON.parse(JSON.stringify(payload)))).toEqual({ ok: true, claims: verdict.claims });
        expect(verdict.claims).toMatchObject({ issuer, organizationSlug: 'acme', audience: expect.arrayContaining([audience]) });
        expect(payload.exp).toBeGreaterThan(startSecs - 5);
      }),
      { numRuns },
    );
    // Neither side may be empty, or the property said nothing.
    expect(outcomes.accepted).toBeGreaterThan(0);
    expect(outcomes.refused).toBeGreaterThan(0);
  });

  it('accepts a changed header only when it still says RS256, and then with the signed claims', async () => {
    const outcomes = { accepted: 0, refused: 0 };
    await fc.assert(
      fc.asyncProperty(fc.dictionary(headerName, headerValue, { maxKeys: 4 }), async (changes) => {
        const header = { alg: 'RS256', kid: 'k1', ...changes };
        const verdict = await verdictOf(signed(JSON.stringify(header), JSON.stringify(validPayload())));
        outcomes[verdict.accepted ? 'accepted' : 'refused'] += 1;
        if (verdict.accepted) {
          expect(header.alg).toBe('RS256');
          expect(parseBuildkiteClaims(validPayload())).toEqual({ ok: true, claims: verdict.claims });
        }
      }),
      { numRuns },
    );
    expect(outcomes.accepted).toBeGreaterThan(0);
    expect(outcomes.refused).toBeGreaterThan(0);
  });

  it('refuses, as token_invalid, a header or payload that is not a JSON object', async () => {
    const notAnObject = fc.oneof(fc.string({ unit: 'binary', maxLength: 40 }), fc.jsonValue().filter((v) => typeof v !== 'object' || v === null || Array.isArray(v)).map((v) => JSON.stringify(v)));
    await fc.assert(
      fc.asyncProperty(notAnObject, fc.boolean(), async (text, inHeader) => {
        const token = inHeader ? signed(text, JSON.stringify(validPayload())) : signed(JSON.stringify({ alg: 'RS256', kid: 'k1' }), text);
        expect(await verdictOf(token)).toEqual({ accepted: false });
      }),
      { numRuns },
    );
  });

  it('refuses any change to the signed text of a good token, and any string that is not one', async () => {
    const good = signed(JSON.stringify({ alg: 'RS256', kid: 'k1' }), JSON.stringify(validPayload()));
    const signingInputLength = good.lastIndexOf('.');
    const edit = fc.record({ at: fc.nat({ max: signingInputLength - 1 }), insert: fc.string({ unit: 'binary', maxLength: 3 }), remove: fc.nat({ max: 3 }) });
    await fc.assert(
      fc.asyncProperty(edit, fc.string({ unit: 'binary', maxLength: 200 }), async ({ at, insert, remove }, garbage) => {
        const edited = `${good.slice(0, at)}${insert}${good.slice(at + remove)}`;
        if (edited !== good) expect(await verdictOf(edited)).toEqual({ accepted: false });
        expect(await verdictOf(garbage)).toEqual({ accepted: false });
      }),
      { numRuns },
    );
    expect(await verdictOf(good)).toMatchObject({ accepted: true });
  });
});
