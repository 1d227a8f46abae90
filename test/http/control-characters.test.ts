import { afterEach, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../support/harness.js';
import { postCredentials, postToken } from '../support/requests.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const controls = [
  ['CR LF', '\r\n'],
  ['a tab', '\t'],
  ['a lone LF', '\n'],
  ['NUL', '\u0000'],
  ['ESC', '\u001b'],
  ['DEL', '\u007f'],
] as const;

describe('control characters in a repository URL', () => {
  describe('from Buildkite', () => {
    it.each(controls)('refuse the pipeline with 403 before GitHub is asked, on /token, for %s', async (_name, control) => {
      h = await startHarness();
      h.world.buildkite.setPipeline('acme', 'widget', `https://github.com/acme/crlf.git${control}host=evil.com`);

      const response = await postToken(h.app, '/token', await h.token());

      expect(response.statusCode).toBe(403);
      expect(response.json()).toEqual({ error: 'Forbidden' });
      expect(h.world.github.requests).toBe(0);
      expect(h.audit.lines).toMatchObject([{ outcome: 'denied', request: { status: 403 } }]);
      expect(response.body + h.audit.raw()).not.toContain('evil.com');
    });

    it('refuse the pipeline on /git-credentials too, and no token is minted', async () => {
      h = await startHarness();
      h.world.buildkite.setPipeline('acme', 'widget', 'https://github.com/acme/widget.git\r\n');

      const response = await postCredentials(h.app, '/git-credentials', await h.token(), 'protocol=https\nhost=github.com\npath=acme/widget.git\n');

      expect(response.statusCode).toBe(403);
      expect(h.world.github.requests).toBe(0);
    });
  });

  describe("in git's credential request", () => {
    it.each([
      ['a tab in the path', 'protocol=https\nhost=github.com\npath=acme/wid\tget.git\n'],
      ['a CR inside the path', 'protocol=https\nhost=github.com\npath=acme/wid\rget.git\n'],
      ['DEL in the path', 'protocol=https\nhost=github.com\npath=acme/widget.git\u007f\n'],
      ['NUL in the path', 'protocol=https\nhost=github.com\npath=acme/\u0000widget.git\n'],
      ['a tab in the host', 'protocol=https\nhost=github.com\t\npath=acme/widget.git\n'],
      ['ESC in the protocol', 'protocol=https\u001b\nhost=github.com\npath=acme/widget.git\n'],
    ])('answer 400 request_invalid for %s, before Buildkite or GitHub is asked', async (_case, body) => {
      h = await startHarness();

      const response = await postCredentials(h.app, '/git-credentials', await h.token(), body);

      expect(response.statusCode).toBe(400);
      expect(response.body).toBe('Bad Request\n');
      expect(h.world.buildkite.requests + h.world.github.requests).toBe(0);
      expect(h.audit.lines).toMatchObject([{ outcome: 'denied', request: { status: 400 } }]);
    });

    it('still reads CRLF line endings as line endings', async () => {
      h = await startHarness();

      const response = await postCredentials(h.app, '/git-credentials', await h.token(), 'protocol=https\r\nhost=github.com\r\npath=acme/widget.git\r\n\r\n');

      expect(response.statusCode).toBe(200);
      expect(response.body).toContain('username=x-access-token');
    });
  });
});

describe('a slug that would change the Buildkite URL path', () => {
  it.each([
    ['pipeline_slug', '.'],
    ['pipeline_slug', '..'],
    ['pipeline_slug', 'widget/../other'],
    ['organization_slug', '..'],
  ])('%s %j is refused as a malformed claim (401) before Buildkite is asked', async (claim, value) => {
    h = await startHarness();

    const response = await postToken(h.app, '/token', await h.token({ [claim]: value }));

    expect(response.statusCode).toBe(401);
    expect(h.world.buildkite.requests).toBe(0);
    expect(h.audit.lines).toMatchObject([{ outcome: 'denied', authorization: { authorized: false } }]);
    expect(String(h.audit.lines[0]?.error)).toContain(claim);
  });
});
