import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { startHarness, type Harness } from '../support/harness.js';
import { sendRawRequest } from '../support/raw-http.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const peer = '10.0.0.1';

/** The audited sourceIP of one /token request from `peer` with these X-Forwarded-For lines. */
async function auditedSource(harness: Harness, forwardedFor: string | string[] | undefined): Promise<unknown> {
  const before = harness.audit.lines.length;
  await harness.app.inject({
    method: 'POST',
    url: '/token',
    // light-my-request sends an array as repeated headers; its type admits only strings.
    headers: { authorization: `Bearer ${await harness.token()}`, ...(forwardedFor !== undefined && { 'x-forwarded-for': forwardedFor as string }) },
    remoteAddress: peer,
  });
  return (harness.audit.lines[before]?.request as { sourceIP?: string }).sourceIP;
}

describe('the audited sourceIP behind proxies', () => {
  describe('with SERVER_TRUST_PROXY=true (one trusted hop)', () => {
    it('is the address the proxy appended, never an entry the client wrote before it', async () => {
      h = await startHarness({ env: { SERVER_TRUST_PROXY: 'true' } });

      expect(await auditedSource(h, '203.0.113.9')).toBe('203.0.113.9');
      expect(await auditedSource(h, '6.6.6.6, 203.0.113.9')).toBe('203.0.113.9');
      expect(await auditedSource(h, ['6.6.6.6', '2001:db8::7'])).toBe('2001:db8::7');
    });

    it.each([
      ['not an address', 'evil.com'],
      ['an address with a port', '203.0.113.9:4711'],
      ['a bracketed IPv6 address', '[2001:db8::7]'],
      ['text around an address', '203.0.113.9 admin'],
      ['markup', '<script>alert(1)</script>'],
      ['an empty last entry', '203.0.113.9,'],
      ['an empty header', ''],
      ['a lone comma', ','],
      ['an overlong value', `${'9'.repeat(5000)}`],
      ['an out-of-range octet', '203.0.113.999'],
    ])('is the TCP peer when the trusted entry is %s', async (_case, forged) => {
      h = await startHarness({ env: { SERVER_TRUST_PROXY: 'true' } });

      expect(await auditedSource(h, forged)).toBe(peer);
    });

    it('is the TCP peer, with its port, over a real connection with a forged header', async () => {
      h = await startHarness({ env: { SERVER_TRUST_PROXY: 'true' } });
      await h.app.listen({ port: 0, host: '127.0.0.1' });
      const { port } = h.app.server.address() as AddressInfo;
      const token = await h.token();

      const request = ['POST /token HTTP/1.1', 'Host: bridge', `Authorization: Bearer ${token}`, 'X-Forwarded-For: 1.2.3.4 or 1=1', 'Content-Length: 0', 'Connection: close', '', ''];
      expect((await sendRawRequest(port, request.join('\r\n'))).status).toBe(200);

      await vi.waitFor(() => expect(h?.audit.lines[0]).toMatchObject({ request: { sourceIP: expect.stringMatching(/^127\.0\.0\.1:\d+$/) } }));
    });
  });

  describe('with SERVER_TRUST_PROXY=2', () => {
    it('is the second address from the right, whatever the client put before it', async () => {
      h = await startHarness({ env: { SERVER_TRUST_PROXY: '2' } });

      expect(await auditedSource(h, '198.51.100.7, 10.1.2.3')).toBe('198.51.100.7');
      expect(await auditedSource(h, 'forged, 198.51.100.7, 10.1.2.3')).toBe('198.51.100.7');
      expect(await auditedSource(h, ['forged, 198.51.100.7', '10.1.2.3'])).toBe('198.51.100.7');
    });

    it('is the TCP peer when fewer proxies wrote to the header than are trusted', async () => {
      h = await startHarness({ env: { SERVER_TRUST_PROXY: '2' } });

      expect(await auditedSource(h, '10.1.2.3')).toBe(peer);
      expect(await auditedSource(h, undefined)).toBe(peer);
    });
  });

  describe('with SERVER_TRUST_PROXY=false', () => {
    it('is the TCP peer, whatever X-Forwarded-For says', async () => {
      h = await startHarness({ env: { SERVER_TRUST_PROXY: 'false' } });

      expect(await auditedSource(h, '203.0.113.9')).toBe(peer);
    });
  });
});
