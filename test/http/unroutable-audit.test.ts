import { afterEach, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../support/harness.js';

let h: Harness;
afterEach(async () => h.close());

describe('a vending request whose path cannot be decoded', () => {
  it.each([['/token/%zz'], ['/git-credentials/repo%'], ['/organization/token/org:%E0%A4%A'], ['/organization/git-credentials/%zz']])(
    'answers %s 400 with its request id, and audits it as a denied invalid request',
    async (url) => {
      h = await startHarness();
      const response = await h.app.inject({ method: 'POST', url, headers: { 'user-agent': 'curl/8' } });

      expect(response.statusCode).toBe(400);
      const requestId = response.headers['x-request-id'];
      expect(typeof requestId).toBe('string');
      expect(h.audit.lines).toHaveLength(1);
      expect(h.audit.lines[0]).toMatchObject({
        requestId,
        outcome: 'denied',
        error: 'invalid request: the request path cannot be decoded',
        request: { method: 'POST', path: url, status: 400, userAgent: 'curl/8' },
      });
    },
  );

  it('is audited under SERVER_BASE_PATH with the path the base path leaves', async () => {
    h = await startHarness({ env: { SERVER_BASE_PATH: '/bridge' } });
    const response = await h.app.inject({ method: 'POST', url: '/bridge/token/%zz' });

    expect(response.statusCode).toBe(400);
    expect(h.audit.lines).toEqual([expect.objectContaining({ request: expect.objectContaining({ path: '/token/%zz' }) })]);
  });

  it('writes no audit record for an undecodable path outside the vending routes', async () => {
    h = await startHarness();
    const responses = await Promise.all(
      ['/healthcheck/%zz', '/tokens/%zz', '/elsewhere/%zz'].map((url) => h.app.inject({ method: 'POST', url })),
    );

    expect(responses.map((response) => response.statusCode)).toEqual([400, 400, 400]);
    expect(responses.map((response) => response.headers['x-request-id'])).toEqual([undefined, undefined, undefined]);
    expect(h.audit.lines).toEqual([]);
  });
});
