import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { repositoryForUrl, translateSshToHttps } from '../../src/pipeline/repository-url.js';

const numRuns = 300;
const gitHosts = ['github.com', 'ghe.example.com:8443'] as const;
const hostnameOf = (gitHost: string) => gitHost.replace(/:\d+$/, '');
/** Owner and repository names as GitHub allows them (not `.`/`..`, no `.git` suffix). */
const segment = fc
  .stringMatching(/^[A-Za-z0-9_-][A-Za-z0-9._-]{0,30}$/)
  .filter((s) => !s.endsWith('.git'));
const CONTROL_OR_SPACE = /[\p{Cc}\p{White_Space}]/u;
/** What the URL parser strips or mangles, and what breaks a line of git's credential format. */
const hostile = fc.constantFrom('\t', '\n', '\r', '\r\n', '\0', '\x7f', ' ', '\u2028', '%0a', '%0d', '%00', '%2f', '%2e%2e', '\\');

/** `url` with `insert` put at `at` (modulo its length). */
const insertAt = (url: string, insert: string, at: number) => {
  const position = at % (url.length + 1);
  return `${url.slice(0, position)}${insert}${url.slice(position)}`;
};

describe('repository URLs, on arbitrary input', () => {
  describe('translateSshToHttps', () => {
    it('turns the SSH form of every repository into an HTTPS URL naming the same owner and name', () => {
      fc.assert(
        fc.property(fc.constantFrom(...gitHosts), segment, segment, fc.boolean(), (gitHost, owner, name, suffix) => {
          const https = translateSshToHttps(`git@${hostnameOf(gitHost)}:${owner}/${name}${suffix ? '.git' : ''}`, gitHost);
          expect(https.startsWith(`https://${gitHost}/`)).toBe(true);
          expect(repositoryForUrl(https, gitHost)).toEqual({ owner, name });
        }),
        { numRuns },
      );
    });

    it('answers the input unchanged or the https URL of its rest, adding no character of its own to the rest', () => {
      const input = fc.oneof(
        fc.string({ unit: 'binary', maxLength: 40 }),
        fc.tuple(fc.constantFrom(...gitHosts), fc.string({ unit: 'binary', maxLength: 40 })).map(([h, rest]) => `git@${hostnameOf(h)}:${rest}`),
      );
      fc.assert(
        fc.property(fc.constantFrom(...gitHosts), input, (gitHost, url) => {
          const out = translateSshToHttps(url, gitHost);
          if (out === url) return;
          expect(out).toBe(`https://${gitHost}/${url.slice(`git@${hostnameOf(gitHost)}:`.length)}`);
          // Nothing to strip, nothing added: a clean input gives a clean output.
          if (!CONTROL_OR_SPACE.test(url)) expect(out).not.toMatch(CONTROL_OR_SPACE);
        }),
        { numRuns },
      );
    });
  });

  describe('repositoryForUrl', () => {
    it('never answers an owner or name with a control character, space, or URL delimiter, whatever is inserted where', () => {
      fc.assert(
        fc.property(fc.constantFrom(...gitHosts), segment, segment, hostile, fc.nat(), (gitHost, owner, name, insert, at) => {
          const url = insertAt(`https://${gitHost}/${owner}/${name}.git`, insert, at);
          const read = repositoryForUrl(url, gitHost);
          if (read === undefined) return;
          for (const part of [read.owner, read.name]) {
            expect(part).not.toMatch(CONTROL_OR_SPACE);
            expect(part).not.toMatch(/[/\\?#%]/);
            expect(['', '.', '..']).not.toContain(part);
          }
        }),
        { numRuns: 1000 },
      );
    });

    it('names nothing for another scheme, another host, or a URL carrying credentials', () => {
      const scheme = fc.constantFrom('http://', 'ssh://', 'git://', 'file://', 'HTTPS://', 'https:/', 'https:');
      const otherHost = fc.constantFrom('example.com', 'github.com.evil.com', 'github.com:443.evil', 'ghe.example.com:9443', 'evil.com#github.com');
      const credentials = fc.constantFrom('user@', 'user:pass@', ':pass@', 'x-access-token:ghs_abc@');
      fc.assert(
        fc.property(fc.constantFrom(...gitHosts), segment, segment, scheme, otherHost, credentials, (gitHost, owner, name, s, h, c) => {
          const path = `${owner}/${name}`;
          expect(repositoryForUrl(`${s}${gitHost}/${path}`, gitHost)).toBeUndefined();
          expect(repositoryForUrl(`https://${h}/${path}`, gitHost)).toBeUndefined();
          expect(repositoryForUrl(`https://${c}${gitHost}/${path}`, gitHost)).toBeUndefined();
        }),
        { numRuns },
      );
    });

    it('reads every spelling of one repository as the same owner and name: .git suffix, query, fragment, host case', () => {
      fc.assert(
        fc.property(segment, segment, fc.constantFrom('', '.git'), fc.constantFrom('', '?ref=main', '#readme'), fc.boolean(), (owner, name, suffix, tail, upper) => {
          const host = upper ? 'GitHub.COM' : 'github.com';
          expect(repositoryForUrl(`https://${host}/${owner}/${name}${suffix}${tail}`, 'github.com')).toEqual({ owner, name });
        }),
        { numRuns },
      );
    });
  });
});
