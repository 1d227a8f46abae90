import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../support/harness.js';
import { credentialInput, postCredentials, postToken } from '../support/requests.js';

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(async () => h.close());

describe('POST /git-credentials', () => {
  describe('for the pipeline repository', () => {
    it('answers git credentials for it, with the expiry in unix seconds', async () => {
      const response = await postCredentials(h.app, '/git-credentials', await h.token(), credentialInput('acme/widget.git'));

      const [mint] = h.world.github.mints;
      expect(response.statusCode).toBe(200);
      expect(response.headers['content-type']).toMatch(/^text\/plain/);
      expect(response.body).toBe(
        'protocol=https\nhost=github.com\npath=acme/widget.git\nusername=x-access-token\n' +
          `password=${mint?.token}\npassword_expiry_utc=${Date.parse(mint?.expiresAt ?? '') / 1000}\n\n`,
      );
    });

    it('shares the cached token with /token', async () => {
      const token = await h.token();
      const json = await postToken(h.app, '/token', token);
      const git = await postCredentials(h.app, '/git-credentials/default', token, credentialInput('acme/widget.git'));

      expect(git.body).toContain(`password=${json.json<{ token: string }>().token}\n`);
      expect(h.world.github.requests).toBe(1);
    });

    it('accepts git input with CRLF line ends, extra keys and a JSON Content-Type', async () => {
      const response = await h.app.inject({
        method: 'POST',
        url: '/git-credentials',
        headers: { authorization: `Bearer ${await h.token()}`, 'content-type': 'application/json' },
        payload: 'capability[]=authtype\r\nprotocol=https\r\nhost=github.com\r\npath=acme/widget.git\r\nwwwauth[]=Basic\r\n\r\n',
      });

      expect(response.statusCode).toBe(200);
      expect(response.body).toMatch(/^protocol=https\nhost=github.com\npath=acme\/widget.git\n/);
    });
  });

  describe('when there are no credentials to give', () => {
    it.each([
      ['another repository', credentialInput('acme/other.git')],
      ['the repository without .git', credentialInput('acme/widget')],
      ['another host', credentialInput('acme/widget.git', 'gitlab.com')],
      ['github.com with a port', credentialInput('acme/widget.git', 'github.com:443')],
      ['http', 'protocol=http\nhost=github.com\npath=acme/widget.git\n'],
      ['an empty request', ''],
      ['all fields empty', 'protocol=\nhost=\npath=\n'],
    ])('answers an empty 200 for %s', async (_case, body) => {
      const response = await postCredentials(h.app, '/git-credentials', await h.token(), body);

      expect(response.statusCode).toBe(200);
      expect(response.body).toBe('');
      expect(response.headers['content-length']).toBe('0');
      expect(h.world.github.requests).toBe(0);
      expect(h.audit.lines.at(-1)).toMatchObject({ outcome: 'unmatched', request: { status: 200 } });
    });

    it('treats an omitted path as path= (git without useHttpPath)', async () => {
      const response = await postCredentials(h.app, '/git-credentials', await h.token(), 'protocol=https\nhost=github.com\n');

      expect(response.statusCode).toBe(200);
      expect(response.body).toBe('');
    });
  });

  describe('with a malformed request', () => {
    it.each([
      ['no host', 'protocol=https\npath=acme/widget.git\n'],
      ['no protocol', 'host=github.com\npath=acme/widget.git\n'],
      ['an empty host', 'protocol=https\nhost=\npath=acme/widget.git\n'],
    ])('answers 400 Bad Request as plain text for %s', async (_case, body) => {
      const response = await postCredentials(h.app, '/git-credentials', await h.token(), body);

      expect(response.statusCode).toBe(400);
      expect(response.body).toBe('Bad Request\n');
      expect(response.headers['content-type']).toBe('text/plain; charset=utf-8');
      expect(response.headers['x-content-type-options']).toBe('nosniff');
    });

    it('answers 413 with Chinmina-Denied for a body over 20 KiB', async () => {
      const body = `${credentialInput('acme/widget.git')}${'x'.repeat(21 * 1024)}`;
      const response = await postCredentials(h.app, '/git-credentials', await h.token(), body);

      expect(response.statusCode).toBe(413);
      expect(response.headers['chinmina-denied']).toBe('Request Entity Too Large');
      expect(response.body).toBe('');
      expect(h.audit.lines.at(-1)).toMatchObject({ outcome: 'denied', request: { status: 413 } });
    });

    it('answers 413 for a chunked body over 20 KiB without a Content-Length', async () => {
      const token = await h.token();
      const address = await h.app.listen({ port: 0, host: '127.0.0.1' });
      const chunks = (async function* () {
        for (let i = 0; i < 30; i += 1) yield new TextEncoder().encode('x'.repeat(1024));
      })();
      const response = await fetch(`${address}/git-credentials`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}` },
        body: streamOf(chunks),
        duplex: 'half',
      } as RequestInit);

      expect(response.status).toBe(413);
    });
  });

  describe('with a profile reference', () => {
    it('answers 404 with Chinmina-Denied and an empty body for an unknown profile', async () => {
      const response = await postCredentials(h.app, '/git-credentials/release', await h.token(), credentialInput('acme/widget.git'));

      expect(response.statusCode).toBe(404);
      expect(response.headers['chinmina-denied']).toBe('profile not found');
      expect(response.body).toBe('');
    });

    it('answers 400 with Chinmina-Denied for an organization reference', async () => {
      const response = await postCredentials(h.app, '/git-credentials/org:x', await h.token(), credentialInput('acme/widget.git'));

      expect(response.statusCode).toBe(400);
      expect(response.headers['chinmina-denied']).toBe('Bad Request');
    });
  });
});

function streamOf(source: AsyncIterable<Uint8Array>): ReadableStream<Uint8Array> {
  const iterator = source[Symbol.asyncIterator]();
  return new ReadableStream({
    async pull(controller) {
      const next = await iterator.next();
      if (next.done) controller.close();
      else controller.enqueue(next.value);
    },
  });
}
