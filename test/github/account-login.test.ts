import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loginProblem, sameLogin } from '../../src/github/account-login.js';

describe('a GitHub account login', () => {
  it.each([['acme'], ['acme-oss'], ['Widget_Co'], ['a'], ['0rg']])('accepts %s', (login) => {
    expect(loginProblem(login)).toBeUndefined();
  });

  it.each([
    ['', 'must not be empty'],
    ['acme corp', 'must not contain whitespace or control characters'],
    [' acme', 'must not contain whitespace or control characters'],
    ['acme\u00a0', 'must not contain whitespace or control characters'],
    ['acme/widget', "must not contain '/' (an account, not a repository)"],
    ['-acme', "must be a GitHub login: letters, digits, '-' and '_', at most 100"],
    ['acme.io', "must be a GitHub login: letters, digits, '-' and '_', at most 100"],
    ['a'.repeat(101), "must be a GitHub login: letters, digits, '-' and '_', at most 100"],
  ])('refuses %j: it %s', (login, problem) => {
    expect(loginProblem(login)).toBe(problem);
  });

  it('compares logins case-insensitively', () => {
    expect([sameLogin('Acme-OSS', 'acme-oss'), sameLogin('acme', 'acme-oss')]).toEqual([true, false]);
  });

  it('never accepts whitespace, control characters or a slash', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (login) => {
        if (/[\s\p{Cc}/]/u.test(login)) expect(loginProblem(login)).toEqual(expect.any(String));
      }),
      { numRuns: 500 },
    );
  });
});
