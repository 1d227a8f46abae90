import { describe, expect, it } from 'vitest';
import { compileOrganizationProfile } from '../../src/profile/compile-organization-profile.js';
import { compileProfileFile, type ProfileFileResult } from '../../src/profile/compile-profile-file.js';

/** A file with one organization profile per entry, each written as YAML flow mappings. */
function organizationFile(...profiles: string[]): string {
  return `organization:\n  profiles:\n${profiles.map((profile) => `    - ${profile}\n`).join('')}`;
}

function compiled(text: string): Extract<ProfileFileResult, { ok: true }> {
  const result = compileProfileFile(text);
  if (!result.ok) throw new Error(`expected the file to compile: ${result.problem}`);
  return result;
}

function invalidReasons(...profiles: string[]): Map<string, string> {
  return new Map(compiled(organizationFile(...profiles)).generation.invalidOrganizationProfiles);
}

const valid = '{name: ok, repositories: [widget], permissions: [contents:read]}';

describe('organization profiles', () => {
  describe('when one profile is invalid', () => {
    const result = compiled(
      organizationFile(
        valid,
        '{name: broken-profile, repositories: [widget], permissions: [contents:read], match: [{claim: not_a_real_claim, value: x}]}',
        '{name: also-ok, repositories: ["{{all-repositories}}"], permissions: [issues:write]}',
      ),
    );

    it('serves the others', () => {
      expect([...result.generation.organizationProfiles.keys()]).toEqual(['ok', 'also-ok']);
    });

    it('records the invalid one with its reason', () => {
      expect(result.generation.invalidOrganizationProfiles).toEqual(
        new Map([
          [
            'broken-profile',
            'invalid match rule for claim "not_a_real_claim": claim "not_a_real_claim" is not allowed for matching',
          ],
        ]),
      );
      expect(result.summary.organization).toEqual({ valid: 2, invalid: 1 });
    });
  });

  describe('each check, with its reason', () => {
    it.each([
      [
        'a / in the name',
        '{name: a/b, repositories: [r], permissions: [contents:read]}',
        'a/b',
        `profile name "a/b" must not contain '/' or ':'`,
      ],
      [
        'a : in the name',
        '{name: "a:b", repositories: [r], permissions: [contents:read]}',
        'a:b',
        `profile name "a:b" must not contain '/' or ':'`,
      ],
      ['no repositories', '{name: p, repositories: [], permissions: [contents:read]}', 'p', 'repositories list must be non-empty'],
      ['a missing repositories key', '{name: p, permissions: [contents:read]}', 'p', 'repositories list must be non-empty'],
      [
        'a null repositories key',
        '{name: p, repositories: null, permissions: [contents:read]}',
        'p',
        'repositories list must be non-empty',
      ],
      [
        '{{all-repositories}} beside a name',
        '{name: p, repositories: [a, "{{all-repositories}}"], permissions: [contents:read]}',
        'p',
        'invalid repositories: "{{all-repositories}}" must be the only repository entry',
      ],
      [
        '* beside a name',
        '{name: p, repositories: ["*", a], permissions: [contents:read]}',
        'p',
        'invalid repositories: "*" must be the only repository entry',
      ],
      [
        '{{caller-scoped-repository}} twice',
        '{name: p, repositories: ["{{caller-scoped-repository}}", "{{caller-scoped-repository}}"], permissions: [contents:read]}',
        'p',
        'invalid repositories: "{{caller-scoped-repository}}" must be the only repository entry',
      ],
      [
        'an owner prefix',
        '{name: p, repositories: [widget, acme/gadget], permissions: [contents:read]}',
        'p',
        'invalid repositories: repository "acme/gadget" must not contain owner prefix',
      ],
      [
        'an empty repository name',
        '{name: p, repositories: [""], permissions: [contents:read]}',
        'p',
        'invalid repositories: repository "" must not be empty',
      ],
      [
        'a space in a repository name',
        '{name: p, repositories: ["my repo"], permissions: [contents:read]}',
        'p',
        'invalid repositories: repository "my repo" must not contain whitespace or control characters',
      ],
      [
        'a control character in a repository name',
        '{name: p, repositories: ["repo\\u0007"], permissions: [contents:read]}',
        'p',
        'invalid repositories: repository "repo\\u0007" must not contain whitespace or control characters',
      ],
      ['no permissions', '{name: p, repositories: [r], permissions: []}', 'p', 'permissions list must be non-empty'],
      ['a missing permissions key', '{name: p, repositories: [r]}', 'p', 'permissions list must be non-empty'],
      [
        'invalid permissions, all reported',
        '{name: p, repositories: [r], permissions: [contents, wiki:read, issues:admin, pull_requests:write]}',
        'p',
        'invalid permissions: malformed scope "contents": expected format "field:action"; invalid permission field "wiki"; ' +
          'invalid permission action "admin": must be one of [read write]',
      ],
      [
        'a rule with both value and valuePattern',
        '{name: p, repositories: [r], permissions: [contents:read], match: [{claim: build_branch, value: a, valuePattern: b}]}',
        'p',
        `invalid match rule for claim "build_branch": exactly one of 'value' or 'valuePattern' must be specified`,
      ],
      [
        'a rule with neither',
        '{name: p, repositories: [r], permissions: [contents:read], match: [{claim: build_branch}]}',
        'p',
        `invalid match rule for claim "build_branch": one of 'value' or 'valuePattern' is required`,
      ],
    ])('refuses %s', (_what, profile, name, reason) => {
      expect(invalidReasons(valid, profile)).toEqual(new Map([[name, reason]]));
    });

    it.each(['(a)\\\\1', '(?=a)', 'main['])('refuses the RE2-invalid pattern %s', (pattern) => {
      const rule = `{claim: build_branch, valuePattern: "${pattern}"}`;
      const profile = `{name: p, repositories: [r], permissions: [contents:read], match: [${rule}]}`;
      expect(invalidReasons(profile).get('p')).toMatch(/^failed to compile regex pattern /);
    });

    it('reports only the first failing check', () => {
      expect(invalidReasons('{name: a/b, repositories: [], permissions: []}')).toEqual(
        new Map([['a/b', `profile name "a/b" must not contain '/' or ':'`]]),
      );
      expect(invalidReasons('{name: p, repositories: [o/r], permissions: []}')).toEqual(
        new Map([['p', 'invalid repositories: repository "o/r" must not contain owner prefix']]),
      );
    });
  });

  describe('a name used more than once', () => {
    const result = compiled(
      organizationFile(
        valid,
        '{name: twice, repositories: [a], permissions: [contents:read]}',
        '{name: twice, repositories: [b], permissions: [contents:write]}',
      ),
    );

    it('is unavailable: no occurrence is served', () => {
      expect([...result.generation.organizationProfiles.keys()]).toEqual(['ok']);
    });

    it('is recorded invalid as a duplicate', () => {
      expect(result.generation.invalidOrganizationProfiles).toEqual(new Map([['twice', 'duplicate profile name: "twice"']]));
    });

    it('outranks every other problem of the occurrences', () => {
      const broken = '{name: x, repositories: [], permissions: []}';
      const fine = '{name: x, repositories: [a], permissions: [contents:read]}';
      expect(invalidReasons(broken, fine)).toEqual(new Map([['x', 'duplicate profile name: "x"']]));
    });

    it('may be used again by a pipeline profile', () => {
      const text = `${organizationFile(valid)}pipeline:\n  profiles:\n    - {name: ok, permissions: [contents:read]}\n`;
      expect(compiled(text).generation.pipelineProfiles.has('ok')).toBe(true);
      expect(compiled(text).generation.organizationProfiles.has('ok')).toBe(true);
    });
  });

  describe('repository literals', () => {
    it.each([
      ['{{all-repositories}}', { kind: 'all' }],
      ['{{caller-scoped-repository}}', { kind: 'caller-scoped' }],
      ['*', { kind: 'all' }],
    ])('read %s alone as %j', (literal, repositories) => {
      const result = compiled(organizationFile(`{name: p, repositories: ["${literal}"], permissions: [contents:read]}`));
      expect(result.generation.organizationProfiles.get('p')?.repositories).toEqual(repositories);
    });

    it('warn that * is deprecated', () => {
      const result = compiled(organizationFile('{name: p, repositories: ["*"], permissions: [contents:read]}', valid));
      expect(result.warnings).toEqual([`organization profile "p": '*' is deprecated, use '{{all-repositories}}' instead`]);
    });

    it('are not read inside a longer name', () => {
      const result = compiled(organizationFile('{name: p, repositories: ["x{{all-repositories}}"], permissions: [contents:read]}'));
      expect(result.generation.organizationProfiles.get('p')?.repositories).toEqual({ kind: 'list', names: ['x{{all-repositories}}'] });
    });
  });

  describe('compileOrganizationProfile', () => {
    it('keeps metadata:read where it was written, without repeating it', () => {
      const result = compileOrganizationProfile(
        { name: 'p', repositories: ['r'], permissions: ['metadata:read', 'contents:write'], match: [] },
        new Set(),
      );
      expect(result).toMatchObject({ ok: true, profile: { permissions: ['metadata:read', 'contents:write'] }, warnings: [] });
    });
  });
});
