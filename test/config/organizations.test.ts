import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load-config.js';
import { parseOrganizations } from '../../src/config/organizations.js';
import { generateAppKey, minimalEnv, noFiles } from './env-fixtures.js';

const key = generateAppKey();

describe('GITHUB_ORGANIZATIONS', () => {
  describe('when every entry is well-formed', () => {
    it('reads logins and pinned installations, ignoring whitespace around entries and "="', () => {
      expect(parseOrganizations(' acme-oss , Widget_Co=42,  solo-dev = 9007199254740993 ')).toEqual({
        ok: true,
        organizations: [{ login: 'acme-oss' }, { login: 'Widget_Co', installationId: '42' }, { login: 'solo-dev', installationId: '9007199254740993' }],
      });
    });

    it('lists nothing when blank', () => {
      expect(parseOrganizations('  ')).toEqual({ ok: true, organizations: [] });
    });
  });

  describe('when entries are malformed', () => {
    it('names every malformed entry at once, by position and as written', () => {
      expect(parseOrganizations('acme-oss,,evil corp,acme/widget,x=0,y=1=2,-lead,ACME-OSS')).toEqual({
        ok: false,
        problems: [
          'GITHUB_ORGANIZATIONS: entry 2 "" is empty',
          'GITHUB_ORGANIZATIONS: entry 3 "evil corp" has a login that must not contain whitespace or control characters',
          `GITHUB_ORGANIZATIONS: entry 4 "acme/widget" has a login that must not contain '/' (an account, not a repository)`,
          'GITHUB_ORGANIZATIONS: entry 5 "x=0" has an installation id that is not a positive whole number',
          `GITHUB_ORGANIZATIONS: entry 6 "y=1=2" must be login or login=installationId (one '=')`,
          `GITHUB_ORGANIZATIONS: entry 7 "-lead" has a login that must be a GitHub login: letters, digits, '-' and '_', at most 100`,
          'GITHUB_ORGANIZATIONS: entry 8 "ACME-OSS" lists an account already listed',
        ],
      });
    });

    it('stops start-up with those problems beside the other configuration problems', () => {
      const result = loadConfig({ ...minimalEnv(key.pkcs1), GITHUB_ORGANIZATIONS: 'ok,=5', SERVER_PORT: 'x' }, noFiles);

      expect(result).toEqual({
        ok: false,
        problems: [expect.stringMatching(/^SERVER_PORT\b/)],
      });
      const onlyOrganizations = loadConfig({ ...minimalEnv(key.pkcs1), GITHUB_ORGANIZATIONS: 'ok,=5,a b' }, noFiles);
      expect(onlyOrganizations).toEqual({
        ok: false,
        problems: [
          'GITHUB_ORGANIZATIONS: entry 2 "=5" has a login that must not be empty',
          'GITHUB_ORGANIZATIONS: entry 3 "a b" has a login that must not contain whitespace or control characters',
        ],
      });
    });
  });

  describe('in the configuration', () => {
    it('is left out when unset, and lists the accounts when set', () => {
      const unset = loadConfig(minimalEnv(key.pkcs1), noFiles);
      const set = loadConfig({ ...minimalEnv(key.pkcs1), GITHUB_ORGANIZATIONS: 'acme-oss,pinned=7' }, noFiles);

      expect(unset.ok && 'organizations' in unset.config.github).toBe(false);
      expect(set.ok && set.config.github.organizations).toEqual([{ login: 'acme-oss' }, { login: 'pinned', installationId: '7' }]);
    });
  });

  describe('on arbitrary text', () => {
    it('never throws, and every entry it accepts is a login that reads back the same', () => {
      fc.assert(
        fc.property(fc.string({ unit: 'binary' }), (value) => {
          const result = parseOrganizations(value);
          if (!result.ok) expect(result.problems.length).toBeGreaterThan(0);
          for (const entry of result.ok ? result.organizations : []) {
            const written = entry.installationId === undefined ? entry.login : `${entry.login}=${entry.installationId}`;
            expect(parseOrganizations(written)).toEqual({ ok: true, organizations: [entry] });
            expect(entry.login).toMatch(/^[A-Za-z0-9_][A-Za-z0-9_-]*$/);
          }
        }),
        { numRuns: 500 },
      );
    });
  });
});
