import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { forgedTokens } from '../support/forged-tokens.js';
import { startHarness, type Harness } from '../support/harness.js';
import { malformedCalls, type CallIngredients, type MalformedCall } from '../support/malformed-calls.js';
import { malformedWire } from '../support/malformed-wire.js';
import { mapLimited, sendRaw } from '../support/raw-http.js';

/** Requests in flight at once, and per round: raw connections, then fetch calls. */
const inFlight = 16;
const wirePerRound = 450;
const callsPerRound = 550;

setFlagsFromString('--expose-gc');
// A full collection before each heap reading keeps the memory check free of garbage noise.
const collectGarbage = runInNewContext('gc') as () => void;

let h: Harness;
let baseUrl: string;
let port: number;
let ingredients: CallIngredients;
/** Text that must never leave the service: the caller's token, the App key, the Buildkite token. */
let secrets: string[];

beforeAll(async () => {
  h = await startHarness();
  baseUrl = await h.app.listen({ port: 0, host: '127.0.0.1' });
  port = Number(new URL(baseUrl).port);
  const validToken = await h.token();
  const now = Math.floor(Date.now() / 1000);
  const publicJwk = h.world.issuer.jwks.keys[0];
  if (publicJwk === undefined) throw new Error('the issuer publishes no key');
  ingredients = {
    validToken,
    refusedTokens: [
      ...forgedTokens({ valid: validToken, publicJwk }),
      await h.token({ iat: now - 4000, nbf: now - 4000, exp: now - 3600 }),
      await h.token({}, { audience: 'someone-else' }),
      await h.token({ organization_slug: 'evil-corp' }),
      await h.token({ pipeline_slug: undefined }),
    ],
  };
  secrets = [validToken, h.world.env.BUILDKITE_API_TOKEN ?? '', ...keyFragments(h.world.env.GITHUB_APP_PRIVATE_KEY ?? '')];
});
afterAll(async () => h.close());

/** Lines of a PEM's base64 body: any one of them showing up would leak part of the key. */
function keyFragments(pem: string): string[] {
  return pem.split('\n').filter((line) => line.length >= 40 && !line.startsWith('-----'));
}

interface Answer {
  readonly statuses: readonly number[];
  readonly text: string;
  readonly hung: boolean;
}

async function call(request: MalformedCall): Promise<Answer> {
  try {
    const response = await fetch(`${baseUrl}${request.path}`, {
      method: request.method,
      headers: request.headers,
      ...(request.body && { body: request.body }),
    });
    return { statuses: [response.status], text: await response.text(), hung: false };
  } catch {
    // The server may close the connection on a request it refuses before reading the body.
    return { statuses: [], text: '', hung: false };
  }
}

/** Sends one round; answers every status seen, after checking each answer and the captured output. */
async function sweep(seed: number): Promise<number[]> {
  const seen: number[] = [];
  const minted = () => h.world.github.mints.map((mint) => mint.token);
  const wire = await mapLimited(malformedWire(seed, wirePerRound), inFlight, async (bytes) => {
    const exchange = await sendRaw(port, bytes);
    return { statuses: exchange.statuses, text: exchange.text, hung: exchange.timedOut };
  });
  for (const answer of wire) {
    expect(answer.hung).toBe(false);
    for (const status of answer.statuses) expect(status, answer.text.slice(0, 200)).toBeGreaterThanOrEqual(400);
    for (const status of answer.statuses) expect(status, answer.text.slice(0, 200)).toBeLessThan(500);
    seen.push(...answer.statuses);
  }
  const requests = malformedCalls(ingredients, seed, callsPerRound);
  const answers = await mapLimited(requests, inFlight, call);
  answers.forEach((answer, index) => {
    const request = requests[index];
    for (const status of answer.statuses) {
      expect(status, `${request?.method} ${request?.path}`).toBeLessThan(500);
      if (!request?.authenticated) expect(status, `${request?.method} ${request?.path}`).toBeGreaterThanOrEqual(400);
      if (status !== 200) for (const token of minted()) expect(answer.text).not.toContain(token);
      // A 2xx to garbage is git's "no credentials here" (empty) or a whole credential, never a fragment.
      if (status === 200 && request?.path.includes('git-credentials') && answer.text !== '') {
        expect(answer.text).toMatch(/^protocol=https\nhost=github\.com\npath=[^\n]*\nusername=x-access-token\npassword=ghs_\w+\npassword_expiry_utc=\d+\n\n$/);
      }
    }
    seen.push(...answer.statuses);
  });
  const output = [...wire, ...answers].map((answer) => answer.text).join('\n');
  const captured = h.audit.raw() + h.logs.raw();
  for (const secret of secrets) {
    expect(output.includes(secret), 'a secret in a response').toBe(false);
    expect(captured.includes(secret), 'a secret in the audit or log output').toBe(false);
  }
  for (const token of minted()) expect(captured.includes(token), 'a GitHub token in the audit or log output').toBe(false);
  expect(h.logs.lines.filter((line) => Number(line.level) >= 50)).toEqual([]);
  h.audit.clear();
  h.logs.clear();
  return seen;
}

describe('a running server swept with malformed requests', () => {
  it('answers each with a 4xx (a 2xx at most when a valid token came with it) or drops it, leaks nothing, stays up, and keeps its heap flat', async () => {
    const warmUp = await sweep(1);
    collectGarbage();
    const heapBeforeBytes = process.memoryUsage().heapUsed;
    const seen = [...warmUp, ...(await sweep(2)), ...(await sweep(3))];
    collectGarbage();
    const heapGrowthMiB = (process.memoryUsage().heapUsed - heapBeforeBytes) / 2 ** 20;

    expect(seen.length).toBeGreaterThan(2500);
    for (const status of [400, 401, 404, 413, 431]) expect(seen).toContain(status);
    // Two rounds of 1,000 requests each: a leak of even 10 KiB a request would show.
    expect(heapGrowthMiB).toBeLessThan(16);
    expect((await fetch(`${baseUrl}/healthcheck`)).status).toBe(200);
    const token = await fetch(`${baseUrl}/token`, { method: 'POST', headers: { authorization: `Bearer ${ingredients.validToken}` } });
    expect(token.status).toBe(200);
  }, 90_000);
});
