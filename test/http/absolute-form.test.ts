import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { startHarness, type Harness } from '../support/harness.js';
import { sendRawRequest } from '../support/raw-http.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

async function listen(harness: Harness): Promise<number> {
  await harness.app.listen({ port: 0, host: '127.0.0.1' });
  return (harness.app.server.address() as AddressInfo).port;
}

const post = (target: string, token: string) =>
  [`POST ${target} HTTP/1.1`, 'Host: evil.com', `Authorization: Bearer ${token}`, 'Content-Length: 0', 'Connection: close', '', ''].join('\r\n');

const auditedPaths = (harness: Harness) => harness.audit.lines.map((line) => (line.request as { path: string }).path);

describe('an absolute-form request line', () => {
  it('is served by its path, and the audit record holds the routed path, never the URL', async () => {
    h = await startHarness();
    const port = await listen(h);
    const token = await h.token();

    const plain = await sendRawRequest(port, post('http://evil.com/token', token));
    const withProfileAndQuery = await sendRawRequest(port, post('HTTPS://evil.com:444/token/nope?x=http://evil.com/', token));

    expect([plain.status, withProfileAndQuery.status]).toEqual([200, 404]);
    await vi.waitFor(() => expect(auditedPaths(h as Harness)).toEqual(['/token', '/token/nope']));
    expect(h.audit.raw()).not.toContain('evil.com');
  });

  it('under SERVER_BASE_PATH is audited without the prefix, as an origin-form request is', async () => {
    h = await startHarness({ env: { SERVER_BASE_PATH: '/bridge' } });
    const port = await listen(h);

    const response = await sendRawRequest(port, post('http://evil.com/bridge/token', await h.token()));

    expect(response.status).toBe(200);
    await vi.waitFor(() => expect(auditedPaths(h as Harness)).toEqual(['/token']));
  });

  it('with another scheme, or no path, reaches no vending route and writes no audit record', async () => {
    h = await startHarness();
    const port = await listen(h);
    const token = await h.token();

    const statuses = [
      (await sendRawRequest(port, post('ftp://evil.com/token', token))).status,
      (await sendRawRequest(port, post('http://evil.com', token))).status,
    ];

    expect(statuses.every((status) => status >= 400 && status < 500)).toBe(true);
    expect(h.audit.lines).toEqual([]);
  });
});
