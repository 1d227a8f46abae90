import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../support/harness.js';
import { credentialInput } from '../support/requests.js';

const numRuns = 120;
const routes = ['/token/', '/git-credentials/', '/organization/token/', '/organization/git-credentials/'] as const;
/** Pieces that matter to routing and decoding: encoded and plain slashes, dot segments, colons, broken escapes. */
const rawPiece = fc.constantFrom('%2F', '%2f', '%2e', '.', '..', '/', ';', '%00', '%0A', '%', '%zz', 'a', ':', 'repo', 'org', 'default', '%3A', '~', '%C0%AF', '%E2%80%A8');
const segment = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 40 }).map(encodeURIComponent),
  fc.string({ unit: rawPiece, maxLength: 6 }),
  fc.constantFrom('default', 'repo:default', 'org:default', 'repo:', 'org:', 'x:y', ':'),
);
// A raw control character in an answer could split a header or a git credential line.
const RAW_CONTROL_BUT_NEWLINE = /(?!\n)\p{Cc}/u;

let h: Harness;
let token: string;
beforeAll(async () => {
  h = await startHarness();
  token = await h.token();
});
afterAll(async () => h.close());

describe('route path segments, on arbitrary input', () => {
  it('answers every profile segment of every vending route with a 2xx or 4xx, one audit record per routed request, and nothing of the token', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...routes), segment, async (route, value) => {
        const response = await h.app.inject({
          method: 'POST',
          url: `${route}${value}`,
          headers: { authorization: `Bearer ${token}`, 'content-type': 'text/plain' },
          payload: route.includes('git') ? credentialInput('acme/widget.git') : '',
        });
        expect([200, 204, 400, 404]).toContain(response.statusCode);
        expect(response.body).not.toMatch(RAW_CONTROL_BUT_NEWLINE);
        expect(response.body).not.toContain(token);
        const requestId = response.headers['x-request-id'];
        // A path the router does not know is answered before any vending route, so it has no
        // request id and no audit record; one it cannot read (a broken escape) has both.
        if (requestId === undefined) return;
        const records = h.audit.lines.filter((line) => line.requestId === requestId);
        expect(records).toHaveLength(1);
        expect(records[0]).toMatchObject({ request: { status: response.statusCode } });
        if (response.statusCode === 200 && route === '/token/') expect(response.json()).toMatchObject({ profile: 'repo:default' });
      }),
      { numRuns },
    );
    expect(h.audit.raw()).not.toContain(token);
  });

  it.each([['default'], ['repo:default'], ['repo%3Adefault']])('answers the default profile for /token/%s', async (value) => {
    const response = await h.app.inject({ method: 'POST', url: `/token/${value}`, headers: { authorization: `Bearer ${token}` } });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ profile: 'repo:default' });
  });
});
