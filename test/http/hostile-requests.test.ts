import { afterEach, describe, expect, it, vi } from 'vitest';
import { startHarness, type Harness } from '../support/harness.js';
import { credentialInput, postToken, postTokenAndHangUp } from '../support/requests.js';

let h: Harness;
afterEach(async () => h.close());

describe('hostile or broken requests', () => {
  it.each([[''], ['/'], ['a/b/c'], [';;;']])('ignores the malformed Content-Type "%s" instead of failing', async (contentType) => {
    h = await startHarness();
    const response = await h.app.inject({
      method: 'POST',
      url: '/git-credentials',
      headers: { authorization: `Bearer ${await h.token()}`, 'content-type': contentType },
      payload: credentialInput('acme/widget.git'),
    });

    expect(response.statusCode).toBe(200);
    expect(response.body).toContain('username=x-access-token');
  });

  it.each([['a broken percent-escape', '/token/%E0%A4%A'], ['an overlong profile', `/token/${'x'.repeat(1200)}`]])('answers a plain 4xx for %s', async (_case, url) => {
    h = await startHarness();
    const response = await postToken(h.app, url, await h.token());

    expect(response.statusCode).toBeGreaterThanOrEqual(400);
    expect(response.statusCode).toBeLessThan(500);
    expect(response.body).not.toContain('token/');
  });

  it('refuses two Authorization headers, whichever comes first', async () => {
    h = await startHarness();
    const good = `Bearer ${await h.token()}`;
    for (const rawHeaders of [[good, 'Bearer bogus'], ['Bearer bogus', good]]) {
      const response = await h.app.inject({
        method: 'POST',
        url: '/token',
        // light-my-request sends an array as repeated headers; its type admits only strings.
        headers: { authorization: rawHeaders as unknown as string },
      });

      expect(response.statusCode).toBe(401);
    }
  });

  it('refuses a token issued in the future', async () => {
    h = await startHarness();
    const now = Math.floor(Date.now() / 1000);
    const response = await postToken(h.app, '/token', await h.token({ iat: now + 3600, nbf: now, exp: now + 300 }));

    expect(response.statusCode).toBe(401);
  });

  it('never echoes credentials embedded in the Buildkite repository URL', async () => {
    h = await startHarness();
    h.world.buildkite.setPipeline('acme', 'widget', 'https://ci-bot:s3cret@github.com/acme/widget.git');
    const response = await postToken(h.app, '/token', await h.token());

    expect(response.statusCode).toBe(403);
    expect(response.body + h.audit.raw()).not.toContain('s3cret');
    expect(h.world.github.requests).toBe(0);
  });

  it('writes the audit record of a request whose client hung up before the answer', async () => {
    h = await startHarness();
    h.world.github.setDelayMs(500);
    await postTokenAndHangUp(h.app, await h.token());

    await vi.waitFor(() => expect(h.audit.lines).toHaveLength(1), { timeout: 3000 });
    expect(h.audit.lines[0]).toMatchObject({
      outcome: 'failed',
      request: { status: 499 },
      error: 'client closed the connection before the response',
    });
  });
});
