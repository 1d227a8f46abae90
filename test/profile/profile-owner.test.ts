import { describe, expect, it } from 'vitest';
import { checkProfileFile } from '../../src/profile/check-profile-file.js';
import { compileProfileFile } from '../../src/profile/compile-profile-file.js';
import { explainProfile } from '../../src/profile/explain-profile.js';
import { createProfileResolver } from '../../src/profile/profile-resolver.js';
import { sampleClaims } from '../../src/profile/sample-claims.js';
import { claims } from './profile-fixtures.js';

/** An organization section with one profile per `owner` line given (`null`: no owner). */
function organizationFile(owners: readonly (string | null)[]): string {
  const profiles = owners.map((owner, index) =>
    [
      `    - name: p${index}`,
      ...(owner === null ? [] : [`      owner: ${JSON.stringify(owner)}`]),
      '      repositories: [plugin]',
      '      permissions: ["contents:read"]',
    ].join('\n'),
  );
  return `organization:\n  profiles:\n${profiles.join('\n')}\n`;
}

describe('resolving an organization profile', () => {
  const compiled = compileProfileFile(organizationFile(['acme-labs', null, 'evilcorp']));
  if (!compiled.ok) throw new Error(compiled.problem);
  const { generation } = compiled;
  const owners = { defaultAccount: () => 'Acme', serves: (owner: string) => ['acme', 'acme-labs'].includes(owner.toLowerCase()) };
  const resolve = createProfileResolver(() => generation, owners);

  it("carries the profile's owner, or the default installation's account", () => {
    expect(resolve({ family: 'organization', name: 'p0' }, claims)).toMatchObject({ owner: 'acme-labs', urn: 'profile://organization/acme/profile/p0' });
    expect(resolve({ family: 'organization', name: 'p1' }, claims)).toMatchObject({ owner: 'Acme' });
  });

  it('throws profile_unavailable for an owner that is not served', () => {
    expect(() => resolve({ family: 'organization', name: 'p2' }, claims)).toThrow(
      expect.objectContaining({ code: 'profile_unavailable', reason: 'owner "evilcorp" is not an account this bridge serves' }),
    );
  });
});

describe('the owner of an organization profile', () => {
  describe('when compiled', () => {
    it('is kept when it is a GitHub login, and absent when not written', () => {
      const compiled = compileProfileFile(organizationFile(['acme-labs', null]));
      if (!compiled.ok) throw new Error(compiled.problem);

      expect(compiled.generation.organizationProfiles.get('p0')?.owner).toBe('acme-labs');
      expect(compiled.generation.organizationProfiles.get('p1')).not.toHaveProperty('owner');
    });

    it.each([
      ['acme labs', 'invalid owner "acme labs": must not contain whitespace or control characters'],
      ['acme\t', 'invalid owner "acme\\t": must not contain whitespace or control characters'],
      ['acme/widget', `invalid owner "acme/widget": must not contain '/' (an account, not a repository)`],
      ['', 'invalid owner "": must not be empty'],
    ])('makes the profile invalid for %j, the others staying valid', (owner, reason) => {
      const compiled = compileProfileFile(organizationFile([owner, null]));
      if (!compiled.ok) throw new Error(compiled.problem);

      expect(Object.fromEntries(compiled.generation.invalidOrganizationProfiles)).toEqual({ p0: reason });
      expect([...compiled.generation.organizationProfiles.keys()]).toEqual(['p1']);
    });

    it.each([
      ['pipeline.defaults', 'pipeline:\n  defaults:\n    owner: acme\n    permissions: ["contents:read"]\n'],
      ['a pipeline profile', 'pipeline:\n  profiles:\n    - name: release\n      owner: acme\n      permissions: ["contents:write"]\n'],
    ])('is refused in %s, failing the whole file as any unknown key', (_where, text) => {
      expect(compileProfileFile(text)).toEqual({ ok: false, problem: expect.stringMatching(/^profile file parsing failed: pipeline\..*owner/) });
    });
  });

  describe('in profiles check', () => {
    it('rejects an owner with whitespace or a slash, naming the profiles', () => {
      const report = checkProfileFile(organizationFile(['acme labs', 'acme/widget']));

      expect(report.ok).toBe(false);
      expect(report.lines.slice(-3)).toEqual([
        'invalid profiles (2):',
        '  org:p0: invalid owner "acme labs": must not contain whitespace or control characters',
        `  org:p1: invalid owner "acme/widget": must not contain '/' (an account, not a repository)`,
      ]);
    });

    it('lists an owner nobody serves as unavailable, with the reason the audit record gives', () => {
      const report = checkProfileFile(organizationFile(['acme-labs', 'Evilcorp', 'ACME', null]), { listed: ['acme-labs'], defaultOwner: 'acme' });

      expect(report).toEqual({
        ok: false,
        lines: expect.arrayContaining([
          '  org:p0  [plugin] of acme-labs  contents:read,metadata:read',
          '  org:p2  [plugin] of ACME  contents:read,metadata:read',
          '  org:p3  [plugin]  contents:read,metadata:read',
          'invalid profiles (1):',
          '  org:p1: unavailable: owner "Evilcorp" is not an account this bridge serves',
        ]),
      });
      expect(report.lines.filter((line) => line.startsWith('  org:p1'))).toHaveLength(1);
    });

    it('only warns about an unlisted owner when the default owner is not given', () => {
      const report = checkProfileFile(organizationFile(['acme']), { listed: ['acme-labs'] });

      expect(report.ok).toBe(true);
      expect(report.lines).toContain(
        `  organization profile "p0": owner "acme" is not listed, so it is served only if it is the default installation's account (give --default-owner to check)`,
      );
    });

    it('says so when it cannot check owners at all', () => {
      const report = checkProfileFile(organizationFile(['acme-labs']));

      expect(report.ok).toBe(true);
      expect(report.lines).toContain('  owners are not checked against the served accounts: set GITHUB_ORGANIZATIONS or give --default-owner');
    });

    it('passes a Chinmina file without owners exactly as before', () => {
      const report = checkProfileFile(organizationFile([null]), { listed: [], defaultOwner: 'acme' });

      expect(report).toEqual({ ok: true, lines: [expect.stringMatching(/^digest /), 'valid profiles:', '  org:p0  [plugin]  contents:read,metadata:read', '  pipeline:default  (pipeline repository)  contents:read,metadata:read', 'every profile is valid'] });
    });
  });

  describe('in profiles explain', () => {
    const claims = sampleClaims({ pipeline_slug: 'widget' });

    it('shows the owner, and calls a profile of an owner nobody serves unavailable', () => {
      const text = organizationFile(['acme-labs', 'evilcorp']);
      const owners = { listed: ['acme-labs'], defaultOwner: 'acme' };

      expect(explainProfile(text, 'org:p0', claims, owners).lines).toEqual(['org:p0', '  owner    acme-labs', '  no rules: every pipeline matches', 'verdict: vended']);
      expect(explainProfile(text, 'org:p1', claims, owners)).toEqual({
        matched: false,
        lines: ['org:p1 is unavailable: owner "evilcorp" is not an account this bridge serves'],
      });
    });

    it('calls a profile with a malformed owner invalid', () => {
      expect(explainProfile(organizationFile(['a/b']), 'org:p0', claims).lines).toEqual([
        `org:p0 is invalid: invalid owner "a/b": must not contain '/' (an account, not a repository)`,
      ]);
    });
  });
});
