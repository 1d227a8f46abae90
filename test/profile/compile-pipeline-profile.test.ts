import { describe, expect, it } from 'vitest';
import { compileProfileFile, type ProfileFileResult } from '../../src/profile/compile-profile-file.js';
import { compilePipelineProfile } from '../../src/profile/compile-pipeline-profile.js';
import { claims } from './profile-fixtures.js';

function pipelineFile(...profiles: string[]): string {
  return `pipeline:\n  profiles:\n${profiles.map((profile) => `    - ${profile}\n`).join('')}`;
}

function compiled(text: string): Extract<ProfileFileResult, { ok: true }> {
  const result = compileProfileFile(text);
  if (!result.ok) throw new Error(`expected the file to compile: ${result.problem}`);
  return result;
}

const valid = '{name: ok, permissions: [contents:read]}';

describe('pipeline profiles', () => {
  describe('a profile named default', () => {
    const text = `pipeline:
  defaults:
    permissions: [statuses:write]
  profiles:
    - {name: default, permissions: [contents:write], match: [{claim: pipeline_slug, value: nobody}]}
`;
    const { generation } = compiled(text);

    it('is recorded invalid as reserved', () => {
      expect(generation.invalidPipelineProfiles).toEqual(new Map([['default', 'profile name "default" is reserved']]));
    });

    it('leaves default resolving to the one pipeline.defaults defines, matching everyone', () => {
      expect(generation.pipelineProfiles.get('default')).toEqual({
        name: 'default',
        permissions: ['statuses:write', 'metadata:read'],
        githubPermissions: { statuses: 'write', metadata: 'read' },
        match: expect.any(Function),
      });
      expect(generation.pipelineProfiles.get('default')?.match(claims)).toEqual({ matched: true, matches: [] });
    });

    it('is reported as reserved even when it is also duplicated', () => {
      const profile = '{name: default, permissions: [contents:read]}';
      const twice = compiled(pipelineFile(profile, profile));
      expect(twice.generation.invalidPipelineProfiles).toEqual(new Map([['default', 'profile name "default" is reserved']]));
    });
  });

  describe('each check, with its reason', () => {
    it.each([
      [
        'a duplicate name',
        ['{name: d, permissions: [contents:read]}', '{name: d, permissions: [contents:write]}'],
        'd',
        'duplicate profile name: "d"',
      ],
      ['a / in the name', ['{name: a/b, permissions: [contents:read]}'], 'a/b', `profile name "a/b" must not contain '/' or ':'`],
      [
        'a : in the name',
        ['{name: "repo:x", permissions: [contents:read]}'],
        'repo:x',
        `profile name "repo:x" must not contain '/' or ':'`,
      ],
      ['no permissions', ['{name: p, permissions: []}'], 'p', 'permissions list must be non-empty'],
      [
        'an invalid permission',
        ['{name: p, permissions: [contents:delete]}'],
        'p',
        'invalid permissions: invalid permission action "delete": must be one of [read write]',
      ],
      [
        'a disallowed claim',
        ['{name: p, permissions: [contents:read], match: [{claim: organization_slug, value: acme}]}'],
        'p',
        'invalid match rule for claim "organization_slug": claim "organization_slug" is not allowed for matching',
      ],
    ])('refuses %s', (_what, profiles, name, reason) => {
      const result = compiled(pipelineFile(valid, ...profiles));
      expect(result.generation.invalidPipelineProfiles).toEqual(new Map([[name, reason]]));
      expect([...result.generation.pipelineProfiles.keys()]).toEqual(['default', 'ok']);
      expect(result.summary.pipeline).toEqual({ valid: 2, invalid: 1 });
    });

    it('refuses an RE2-invalid pattern', () => {
      const rule = '{claim: build_branch, valuePattern: "(?!main)"}';
      const result = compiled(pipelineFile(`{name: p, permissions: [contents:read], match: [${rule}]}`));
      expect(result.generation.invalidPipelineProfiles.get('p')).toMatch(/^failed to compile regex pattern "\(\?!main\)": /);
    });
  });

  describe('match rules', () => {
    const { generation } = compiled(
      pipelineFile(
        '{name: tagged, permissions: [contents:write], match: [' +
          '{claim: "agent_tag:queue", value: deploy}, {claim: build_tag, valuePattern: "v[0-9]+"}]}',
      ),
    );
    const tagged = generation.pipelineProfiles.get('tagged');

    it('match a caller whose claims satisfy every rule', () => {
      expect(tagged?.match({ ...claims, buildTag: 'v12', agentTags: { queue: 'deploy' } })).toEqual({
        matched: true,
        matches: [
          { claim: 'agent_tag:queue', value: 'deploy' },
          { claim: 'build_tag', value: 'v12' },
        ],
      });
    });

    it('do not match a build without a tag', () => {
      expect(tagged?.match({ ...claims, agentTags: { queue: 'deploy' } })).toEqual({
        matched: false,
        attempted: { claim: 'build_tag', pattern: 'v[0-9]+', value: '' },
      });
    });
  });

  describe('compilePipelineProfile', () => {
    it('checks the reserved name before anything else', () => {
      expect(compilePipelineProfile({ name: 'default', permissions: [], match: [] }, new Set(['default']))).toEqual({
        ok: false,
        reason: 'profile name "default" is reserved',
      });
    });
  });
});
