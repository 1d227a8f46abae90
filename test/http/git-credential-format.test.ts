import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { BridgeError } from '../../src/errors.js';
import {
  credentialTarget,
  formatCredentialResponse,
  parseCredentialProperties,
} from '../../src/http/git-credential-format.js';

/** C0 controls and DEL, written out rather than as a regular expression range. */
const hasControl = (value: string) => [...value].some((character) => character < ' ' || character === '\u007f');

const entries = (body: string): Array<[string, string]> => [...parseCredentialProperties(body)];

/** The `code` of what `run` throws, or undefined when it returns. */
function thrownCode(run: () => unknown): string | undefined {
  try {
    run();
    return undefined;
  } catch (error) {
    return error instanceof BridgeError ? error.code : 'not a BridgeError';
  }
}

const target = (pairs: Record<string, string>, gitHost = 'github.com') =>
  credentialTarget(new Map(Object.entries(pairs)), gitHost);

describe('parseCredentialProperties', () => {
  it('reads key=value lines in order', () => {
    expect(entries('protocol=https\nhost=github.com\npath=acme/widget.git\n')).toEqual([
      ['protocol', 'https'],
      ['host', 'github.com'],
      ['path', 'acme/widget.git'],
    ]);
  });

  it('stops at the first empty line', () => {
    expect(entries('a=1\n\nb=2\n')).toEqual([['a', '1']]);
  });

  it('reads to the end when there is no empty line or final newline', () => {
    expect(entries('a=1\nb=2')).toEqual([
      ['a', '1'],
      ['b', '2'],
    ]);
  });

  it('keeps empty values', () => {
    expect(entries('path=\nhost=\n')).toEqual([
      ['path', ''],
      ['host', ''],
    ]);
  });

  it('splits on the first = only', () => {
    expect(entries('password=a=b==\n')).toEqual([['password', 'a=b==']]);
  });

  it('skips lines with an empty key', () => {
    expect(entries('=x\na=1\n')).toEqual([['a', '1']]);
  });

  it('skips lines without a delimiter', () => {
    expect(entries('garbage\na=1\n')).toEqual([['a', '1']]);
  });

  it('strips one trailing carriage return from \\r\\n input and stops at a \\r\\n empty line', () => {
    expect(entries('protocol=https\r\nhost=github.com\r\n\r\npath=ignored\r\n')).toEqual([
      ['protocol', 'https'],
      ['host', 'github.com'],
    ]);
    expect(entries('a=1\r\r\n')).toEqual([['a', '1\r']]);
  });

  it('lets the last value of a repeated key win at its first position', () => {
    expect(entries('a=1\nb=2\na=3\n')).toEqual([
      ['a', '3'],
      ['b', '2'],
    ]);
  });

  it('tolerates capability[] and wwwauth[] keys', () => {
    const properties = parseCredentialProperties(
      'capability[]=authtype\ncapability[]=state\nprotocol=https\nhost=github.com\nwwwauth[]=Basic realm="GitHub"\n\n',
    );
    expect(properties.get('protocol')).toBe('https');
    expect(properties.get('host')).toBe('github.com');
    expect(properties.get('wwwauth[]')).toBe('Basic realm="GitHub"');
  });

  it('returns nothing for an empty body', () => {
    expect(entries('')).toEqual([]);
  });

  it('never throws and returns only non-empty keys without a line break or =', () => {
    const structured = fc.string({ unit: fc.constantFrom('a', 'b', '=', '\n', '\r', '\0', ' ', 'é') });
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: 'binary' }), structured), (body) => {
        for (const key of parseCredentialProperties(body).keys()) {
          expect(key).not.toBe('');
          expect(key).not.toContain('\n');
          expect(key).not.toContain('=');
        }
      }),
      { numRuns: 1000 },
    );
  });
});

describe('credentialTarget', () => {
  describe('when protocol, host and path are all empty or omitted', () => {
    it.each([
      ['all omitted', {}],
      ['all empty', { protocol: '', host: '', path: '' }],
      ['path omitted, others empty', { protocol: '', host: '' }],
      ['only unrelated keys', { username: 'x', 'capability[]': 'authtype' }],
    ])('is empty (%s)', (_label, pairs) => {
      expect(target(pairs)).toEqual({ kind: 'empty' });
    });
  });

  describe('when a field is present but protocol or host is missing', () => {
    it.each([
      ['protocol without host', { protocol: 'https' }],
      ['protocol with empty host', { protocol: 'https', host: '', path: 'acme/widget' }],
      ['host without protocol', { host: 'github.com' }],
      ['path alone', { path: 'acme/widget' }],
    ])('throws request_invalid (%s)', (_label, pairs) => {
      expect(thrownCode(() => target(pairs))).toBe('request_invalid');
    });

    it('names the missing field in the reason', () => {
      expect(() => target({ protocol: 'https' })).toThrow(expect.objectContaining({ reason: 'host must be present' }));
      expect(() => target({ host: 'github.com' })).toThrow(
        expect.objectContaining({ reason: 'protocol must be present' }),
      );
    });
  });

  describe('when protocol and host are not https and the git host exactly', () => {
    it.each([
      ['HTTPS', { protocol: 'HTTPS', host: 'github.com', path: 'acme/widget' }],
      ['http', { protocol: 'http', host: 'github.com', path: 'acme/widget' }],
      ['a trailing dot', { protocol: 'https', host: 'github.com.', path: 'acme/widget' }],
      ['an explicit port', { protocol: 'https', host: 'github.com:443', path: 'acme/widget' }],
      ['another case', { protocol: 'https', host: 'GitHub.com', path: 'acme/widget' }],
      ['another host', { protocol: 'https', host: 'gitlab.com', path: 'acme/widget' }],
    ])('is unsupported (%s)', (_label, pairs) => {
      expect(target(pairs)).toEqual({ kind: 'unsupported' });
    });

    it('is unsupported for github.com when the git host is GitHub Enterprise', () => {
      expect(target({ protocol: 'https', host: 'github.com', path: 'acme/widget' }, 'ghe.example.com')).toEqual({
        kind: 'unsupported',
      });
    });
  });

  describe('when the request is https on the git host', () => {
    it('names the repository URL', () => {
      expect(target({ protocol: 'https', host: 'github.com', path: 'acme/widget.git' })).toEqual({
        kind: 'repository',
        url: 'https://github.com/acme/widget.git',
        protocol: 'https',
        host: 'github.com',
        path: 'acme/widget.git',
      });
    });

    it('treats an omitted path as an empty one', () => {
      expect(target({ protocol: 'https', host: 'github.com' })).toEqual({
        kind: 'repository',
        url: 'https://github.com/',
        protocol: 'https',
        host: 'github.com',
        path: '',
      });
    });

    it('keeps the whole path in the URL path, escaping as the WHATWG parser does', () => {
      const result = target({ protocol: 'https', host: 'github.com', path: 'acme/wid get?x#y' });
      expect(result).toMatchObject({ kind: 'repository', url: 'https://github.com/acme/wid%20get%3Fx%23y' });
    });

    it('accepts a GitHub Enterprise host with a port', () => {
      const result = target({ protocol: 'https', host: 'ghe.example.com:8443', path: 'acme/widget' }, 'ghe.example.com:8443');
      expect(result).toMatchObject({ kind: 'repository', url: 'https://ghe.example.com:8443/acme/widget' });
    });

    it('keeps the host of every URL it builds, whatever the path without control characters', () => {
      fc.assert(
        fc.property(fc.string({ unit: 'binary' }).filter((path) => !hasControl(path)), (path) => {
          const result = target({ protocol: 'https', host: 'github.com', path });
          expect(result.kind).toBe('repository');
          if (result.kind === 'repository') expect(new URL(result.url).host).toBe('github.com');
        }),
      );
    });
  });

  it('throws nothing but request_invalid on arbitrary fields', () => {
    const field = fc.option(fc.constantFrom('', 'https', 'http', 'github.com', 'acme/widget'), { nil: undefined });
    fc.assert(
      fc.property(field, field, field, (protocol, host, path) => {
        const pairs: Record<string, string> = {};
        if (protocol !== undefined) pairs['protocol'] = protocol;
        if (host !== undefined) pairs['host'] = host;
        if (path !== undefined) pairs['path'] = path;
        expect([undefined, 'request_invalid']).toContain(thrownCode(() => target(pairs)));
      }),
    );
  });
});

describe('formatCredentialResponse', () => {
  const fields = {
    url: 'https://github.com/org/repo',
    username: 'x-access-token',
    password: 'expected-token-value',
    passwordExpiryUtc: 1715104776,
  };

  it('writes the fields in order, terminated by an empty line', () => {
    expect(formatCredentialResponse(fields)).toBe(
      'protocol=https\nhost=github.com\npath=org/repo\nusername=x-access-token\npassword=expected-token-value\npassword_expiry_utc=1715104776\n\n',
    );
  });

  it('writes a non-default port in the host and keeps the path percent-encoded', () => {
    const body = formatCredentialResponse({ ...fields, url: 'https://ghe.example.com:8443/acme/wid%20get.git' });
    expect(body).toContain('host=ghe.example.com:8443\npath=acme/wid%20get.git\n');
  });

  it('writes an empty path for the root URL', () => {
    expect(formatCredentialResponse({ ...fields, url: 'https://github.com/' })).toContain('\npath=\n');
  });

  it.each([
    ['a line break in the password', { password: 'tok\nen' }],
    ['a NUL in the password', { password: 'tok\0en' }],
    ['a line break in the username', { username: 'x\n' }],
    ['a carriage return in the password', { password: 'token\r' }],
    ['a relative URL', { url: 'org/repo' }],
    ['an http URL', { url: 'http://github.com/org/repo' }],
    ['a fractional expiry', { passwordExpiryUtc: 1.5 }],
    ['a non-finite expiry', { passwordExpiryUtc: Number.NaN }],
  ])('throws internal for %s', (_label, change) => {
    expect(thrownCode(() => formatCredentialResponse({ ...fields, ...change }))).toBe('internal');
  });

  it('throws internal whenever a value contains a line break or NUL', () => {
    const unsafe = fc
      .tuple(fc.string(), fc.constantFrom('\n', '\0'), fc.string())
      .map(([before, bad, after]) => `${before}${bad}${after}`);
    fc.assert(
      fc.property(unsafe, fc.boolean(), (value, inPassword) => {
        const change = inPassword ? { password: value } : { username: value };
        expect(thrownCode(() => formatCredentialResponse({ ...fields, ...change }))).toBe('internal');
      }),
    );
  });

  it('is read back by the parser with the same protocol, host, username and password', () => {
    const safe = fc.string({ unit: 'binary' }).filter((s) => !/[\n\r\0]/.test(s));
    const host = fc.constantFrom('github.com', 'ghe.example.com', 'ghe.example.com:8443');
    const segment = fc.stringMatching(/^[A-Za-z0-9._-]{1,20}$/);
    fc.assert(
      fc.property(host, segment, segment, safe, safe, fc.nat(), (h, owner, name, username, password, expiry) => {
        const body = formatCredentialResponse({
          url: `https://${h}/${owner}/${name}`,
          username,
          password,
          passwordExpiryUtc: expiry,
        });
        const properties = parseCredentialProperties(body);
        expect(Object.fromEntries(properties)).toEqual({
          protocol: 'https',
          host: h,
          path: new URL(`https://${h}/${owner}/${name}`).pathname.slice(1),
          username,
          password,
          password_expiry_utc: String(expiry),
        });
      }),
    );
  });
});
