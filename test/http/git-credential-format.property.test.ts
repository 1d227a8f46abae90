import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { credentialTarget, formatCredentialResponse, parseCredentialProperties } from '../../src/http/git-credential-format.js';

const numRuns = 300;
const gitHosts = ['github.com', 'ghe.example.com:8443'] as const;

/** A key git could send: non-empty, no `=`, no line break, not ending in `\r`. */
const key = fc.string({ unit: 'binary', minLength: 1, maxLength: 12 }).filter((k) => !/[=\n]/.test(k) && !k.endsWith('\r'));
/** A value git could send: no line break, not ending in `\r` (git strips one). */
const value = fc.string({ unit: 'binary', maxLength: 40 }).filter((v) => !v.includes('\n') && !v.endsWith('\r'));
const pairs = fc.array(fc.tuple(key, value), { maxLength: 8 });
const anyBody = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 200 }),
  fc.string({ unit: fc.constantFrom('protocol', 'host', 'path', '=', '\n', '\r', '\0', 'https', 'github.com', '/', ' '), maxLength: 30 }),
);
const CONTROL_OR_SPACE = /[\p{Cc}\s]/u;

function serialize(lines: ReadonlyArray<readonly [string, string]>, newline: string): string {
  return lines.map(([k, v]) => `${k}=${v}${newline}`).join('');
}

describe('git credential body, on arbitrary input', () => {
  describe('parseCredentialProperties', () => {
    it('reads back every key=value list git could write, the last value of a key winning', () => {
      fc.assert(
        fc.property(pairs, (lines) => {
          expect(parseCredentialProperties(serialize(lines, '\n'))).toEqual(new Map(lines));
        }),
        { numRuns },
      );
    });

    it('reads \\r\\n line ends exactly as \\n ones', () => {
      fc.assert(
        fc.property(pairs, (lines) => {
          expect(parseCredentialProperties(serialize(lines, '\r\n'))).toEqual(parseCredentialProperties(serialize(lines, '\n')));
        }),
        { numRuns },
      );
    });

    it('ignores everything after the first empty line', () => {
      fc.assert(
        fc.property(anyBody, anyBody, (head, tail) => {
          expect(parseCredentialProperties(`${head}\n\n${tail}`)).toEqual(parseCredentialProperties(head));
        }),
        { numRuns },
      );
    });
  });

  describe('credentialTarget', () => {
    it('throws nothing but request_invalid, and a repository URL stays on the git host with no control character or space', () => {
      fc.assert(
        fc.property(anyBody, fc.constantFrom(...gitHosts), (body, gitHost) => {
          let target;
          try {
            target = credentialTarget(parseCredentialProperties(body), gitHost);
          } catch (error) {
            expect(error).toMatchObject({ code: 'request_invalid' });
            return;
          }
          if (target.kind !== 'repository') return;
          const url = new URL(target.url);
          expect(url.host).toBe(gitHost);
          expect(`${url.search}${url.hash}`).toBe('');
          expect(target.url).not.toMatch(CONTROL_OR_SPACE);
        }),
        { numRuns },
      );
    });

    it('names the same URL again when its own answer is fed back to it, as git does on the next request', () => {
      fc.assert(
        fc.property(fc.constantFrom(...gitHosts), fc.string({ unit: 'binary', maxLength: 40 }), (gitHost, path) => {
          const asked = new Map([['protocol', 'https'], ['host', gitHost], ['path', path]]);
          // A control character anywhere in the repository is refused before it is read.
          if ([...path].some((character) => character < ' ' || character === '\u007f')) {
            expect(() => credentialTarget(asked, gitHost)).toThrow(expect.objectContaining({ code: 'request_invalid' }));
            return;
          }
          const first = credentialTarget(asked, gitHost);
          if (first.kind !== 'repository') throw new Error(`expected a repository, got ${first.kind}`);
          const answer = formatCredentialResponse({ url: first.url, username: 'x-access-token', password: 'p', passwordExpiryUtc: 1 });
          const again = credentialTarget(parseCredentialProperties(answer), gitHost);
          expect(again).toMatchObject({ kind: 'repository', url: first.url });
        }),
        { numRuns },
      );
    });
  });

  describe('formatCredentialResponse', () => {
    it('refuses with internal exactly when a value holds a line break or NUL, else writes six lines and an empty one', () => {
      const field = fc.oneof(fc.string({ unit: 'binary', maxLength: 30 }), fc.string({ unit: fc.constantFrom('a', '\n', '\r', '\0'), maxLength: 4 }));
      fc.assert(
        fc.property(field, field, fc.constantFrom(...gitHosts), fc.string({ maxLength: 30 }), (username, password, host, path) => {
          const format = () =>
            formatCredentialResponse({ url: `https://${host}/${path}`, username, password, passwordExpiryUtc: 1_800_000_000 });
          if (/[\n\r\0]/.test(username + password)) {
            expect(format).toThrow(expect.objectContaining({ code: 'internal' }));
            return;
          }
          const body = format();
          expect(body).not.toMatch(/[\r\0]/);
          expect(body.endsWith('\n\n')).toBe(true);
          expect(body.slice(0, -2).split('\n')).toHaveLength(6);
          const read = parseCredentialProperties(body);
          expect([read.get('username'), read.get('password')]).toEqual([username, password]);
        }),
        { numRuns },
      );
    });
  });
});
