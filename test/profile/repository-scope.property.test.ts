import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { repositoryForUrl } from '../../src/pipeline/repository-url.js';
import { isValidRepositoryScope } from '../../src/profile/repository-scope.js';

const numRuns = 500;
const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._-';
const scopeChar = fc.constantFrom(...alphabet);
/** Names in GitHub's alphabet: what a caller may scope a token to, `.` and `..` aside. */
const grammatical = fc.string({ unit: scopeChar, minLength: 1, maxLength: 40 });
/** Any single character outside that alphabet, astral ones, controls and URL delimiters included. */
const foreign = fc
  .oneof(
    fc.constantFrom('\0', '\t', '\n', '\r', ' ', '/', '\\', '?', '#', '%', ':', '@', '\u00a0', '\u2028'),
    fc.string({ unit: 'grapheme', minLength: 1, maxLength: 1 }),
  )
  .filter((c) => ![...c].every((u) => alphabet.includes(u)));

describe('repository-scope, on arbitrary input', () => {
  it('accepts exactly the names of GitHub alphabet, but . and ..', () => {
    fc.assert(
      fc.property(grammatical, (scope) => {
        expect(isValidRepositoryScope(scope)).toBe(scope !== '.' && scope !== '..');
      }),
      { numRuns },
    );
  });

  it('refuses a name with any other character anywhere', () => {
    fc.assert(
      fc.property(fc.string({ unit: scopeChar, maxLength: 20 }), foreign, fc.string({ unit: scopeChar, maxLength: 20 }), (before, odd, after) => {
        expect(isValidRepositoryScope(`${before}${odd}${after}`)).toBe(false);
      }),
      { numRuns },
    );
  });

  it('sends GitHub exactly what the caller named: an accepted name needs no escaping in a URL and is read back from one', () => {
    fc.assert(
      // One trailing `.git` is the suffix git adds to a URL, never part of the name read back.
      fc.property(grammatical.filter((scope) => isValidRepositoryScope(scope) && !scope.endsWith('.git')), (scope) => {
        expect(encodeURIComponent(scope)).toBe(scope);
        expect(repositoryForUrl(`https://github.com/acme/${scope}`, 'github.com')).toEqual({ owner: 'acme', name: scope });
      }),
      { numRuns },
    );
  });
});
