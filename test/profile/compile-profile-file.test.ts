import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { compileProfileFile, type ProfileFileResult } from '../../src/profile/compile-profile-file.js';
import type { ProfileGeneration } from '../../src/profile/profile.js';
import { claims } from './profile-fixtures.js';

const fullFile = `
organization:
  profiles:
    - name: deploy
      match:
        - claim: pipeline_slug
          value: widget
        - claim: build_branch
          valuePattern: main|release/.*
      repositories: [widget, gadget]
      permissions: [contents:write, pull_requests:write]
    - name: everything-read
      repositories: ['{{all-repositories}}']
      permissions: [contents:read]
    - name: scoped
      repositories: ['{{caller-scoped-repository}}']
      permissions: [contents:read, metadata:read]
pipeline:
  defaults:
    permissions: [contents:read, pull_requests:write]
  profiles:
    - name: release
      match:
        - claim: build_number
          value: 42
      permissions: [contents:write]
`;

function compiled(text: string): Extract<ProfileFileResult, { ok: true }> {
  const result = compileProfileFile(text);
  if (!result.ok) throw new Error(`expected the file to compile: ${result.problem}`);
  return result;
}

function generationOf(text: string): ProfileGeneration {
  return compiled(text).generation;
}

function refused(text: string): string {
  const result = compileProfileFile(text);
  if (result.ok) throw new Error('expected the file to be refused');
  return result.problem;
}

describe('compileProfileFile', () => {
  describe('a valid file', () => {
    const result = compiled(fullFile);
    const { generation } = result;

    it('compiles every organization profile in file order', () => {
      expect([...generation.organizationProfiles.values()]).toEqual([
        {
          name: 'deploy',
          permissions: ['contents:write', 'pull_requests:write', 'metadata:read'],
          githubPermissions: { contents: 'write', pull_requests: 'write', metadata: 'read' },
          repositories: { kind: 'list', names: ['widget', 'gadget'] },
          match: expect.any(Function),
        },
        {
          name: 'everything-read',
          permissions: ['contents:read', 'metadata:read'],
          githubPermissions: { contents: 'read', metadata: 'read' },
          repositories: { kind: 'all' },
          match: expect.any(Function),
        },
        {
          name: 'scoped',
          permissions: ['contents:read', 'metadata:read'],
          githubPermissions: { contents: 'read', metadata: 'read' },
          repositories: { kind: 'caller-scoped' },
          match: expect.any(Function),
        },
      ]);
    });

    it('compiles the pipeline profiles after the default one, from pipeline.defaults', () => {
      expect([...generation.pipelineProfiles.values()]).toEqual([
        {
          name: 'default',
          permissions: ['contents:read', 'pull_requests:write', 'metadata:read'],
          githubPermissions: { contents: 'read', pull_requests: 'write', metadata: 'read' },
          match: expect.any(Function),
        },
        {
          name: 'release',
          permissions: ['contents:write', 'metadata:read'],
          githubPermissions: { contents: 'write', metadata: 'read' },
          match: expect.any(Function),
        },
      ]);
    });

    it('keeps the match rules of each profile', () => {
      expect(generation.organizationProfiles.get('deploy')?.match(claims)).toEqual({
        matched: true,
        matches: [
          { claim: 'pipeline_slug', value: 'widget' },
          { claim: 'build_branch', value: 'main' },
        ],
      });
      expect(generation.organizationProfiles.get('deploy')?.match({ ...claims, buildBranch: 'dev' }).matched).toBe(false);
      expect(generation.pipelineProfiles.get('default')?.match(claims)).toEqual({ matched: true, matches: [] });
    });

    it('reads a number written in YAML as the text of a value rule', () => {
      expect(generation.pipelineProfiles.get('release')?.match(claims)).toEqual({
        matched: true,
        matches: [{ claim: 'build_number', value: '42' }],
      });
    });

    it('has no invalid profiles, no warnings, and counts what it compiled', () => {
      expect(generation.invalidOrganizationProfiles).toEqual(new Map());
      expect(generation.invalidPipelineProfiles).toEqual(new Map());
      expect(result.warnings).toEqual([]);
      expect(result.summary).toEqual({ organization: { valid: 3, invalid: 0 }, pipeline: { valid: 2, invalid: 0 } });
    });

    it('has the lowercase hex SHA-256 of the raw text as its digest', () => {
      expect(generation.digest).toBe(createHash('sha256').update(fullFile).digest('hex'));
      expect(generation.digest).toMatch(/^[0-9a-f]{64}$/);
    });

    it('changes its digest when only a comment changes', () => {
      expect(generationOf(`${fullFile}# note\n`).digest).not.toBe(generation.digest);
    });
  });

  describe('sections', () => {
    it.each([
      ['an empty file', ''],
      ['a comment', '# nothing yet\n'],
      ['empty sections', 'organization:\npipeline:\n'],
      ['empty profile lists', 'organization:\n  profiles: []\npipeline:\n  profiles:\n'],
    ])('are all optional: %s serves only the built-in default', (_what, text) => {
      const result = compiled(text);
      expect([...result.generation.pipelineProfiles.values()]).toEqual([
        {
          name: 'default',
          permissions: ['contents:read', 'metadata:read'],
          githubPermissions: { contents: 'read', metadata: 'read' },
          match: expect.any(Function),
        },
      ]);
      expect(result.generation.organizationProfiles).toEqual(new Map());
      expect(result.summary).toEqual({ organization: { valid: 0, invalid: 0 }, pipeline: { valid: 1, invalid: 0 } });
    });

    it('accept a file with only pipeline.defaults', () => {
      const generation = generationOf('pipeline:\n  defaults:\n    permissions: [contents:write]\n');
      expect(generation.pipelineProfiles.get('default')?.permissions).toEqual(['contents:write', 'metadata:read']);
    });
  });

  describe('a file refused as a whole', () => {
    it.each([
      ['a misspelt top-level key', 'organisation:\n  profiles: []\n', 'organisation'],
      ['a misspelt nested key', 'organization:\n  profilez: []\n', 'profilez'],
      ['organization.defaults', 'organization:\n  defaults:\n    permissions: [contents:read]\n', 'defaults'],
      [
        'repositories under a pipeline profile',
        'pipeline:\n  profiles:\n    - name: p\n      repositories: [a]\n      permissions: [contents:read]\n',
        'repositories',
      ],
      [
        'an unknown key in a match rule',
        'pipeline:\n  profiles:\n    - name: p\n      permissions: [contents:read]\n' +
          '      match:\n        - claim: build_branch\n          value: main\n          regex: x\n',
        'regex',
      ],
      ['an unknown key in pipeline.defaults', 'pipeline:\n  defaults:\n    permission: [contents:read]\n', 'permission'],
      ['__proto__ as a key', '__proto__:\n  polluted: true\n', '__proto__'],
    ])('refuses %s and names the path of the problem', (_what, text, key) => {
      const problem = refused(text);
      expect(problem).toMatch(/^profile file parsing failed: /);
      expect(problem).toContain(key);
    });

    it.each([
      ['a profile without a name', 'pipeline:\n  profiles:\n    - permissions: [contents:read]\n'],
      ['a list where a string belongs', 'pipeline:\n  profiles:\n    - name: [a]\n      permissions: [contents:read]\n'],
      ['a string where a list belongs', 'pipeline:\n  profiles:\n    - name: a\n      permissions: contents:read\n'],
      ['a list as the document', '- a\n- b\n'],
      ['a string as the document', 'just text\n'],
    ])('refuses %s', (_what, text) => {
      expect(refused(text)).toMatch(/^profile file parsing failed: /);
    });

    it.each([
      ['unbalanced brackets', 'organization: [\n'],
      ['a duplicate key', 'pipeline:\n  profiles: []\n  profiles: []\n'],
      ['two documents', 'pipeline: {}\n---\norganization: {}\n'],
      ['a tab indent', 'pipeline:\n\tprofiles: []\n'],
    ])('refuses invalid YAML: %s, on one line that names the position', (_what, text) => {
      expect(refused(text)).toMatch(/^profile file parsing failed: [^\n]* at line \d+, column \d+$/);
    });

    it('refuses a file that expands aliases without bound ("billion laughs")', () => {
      const names = 'abcdefghi'.split('');
      const levels = names.slice(1).map((name, i) => `${name}: &${name} [${Array(10).fill(`*${names[i]}`).join(', ')}]`);
      const text = ['a: &a [x, x, x, x, x, x, x, x, x, x]', ...levels].join('\n');
      expect(refused(text)).toMatch(/^profile file parsing failed: .*alias/);
    });

    it.each([
      ['an unknown field', '[contents:read, wiki:read]', 'invalid permission field "wiki"'],
      ['an unknown action', '[contents:admin]', 'invalid permission action "admin"'],
      ['an empty list', '[]', 'permissions list must be non-empty'],
    ])('refuses pipeline.defaults.permissions with %s', (_what, permissions, detail) => {
      const problem = refused(`pipeline:\n  defaults:\n    permissions: ${permissions}\n`);
      expect(problem).toMatch(/^invalid default permissions for pipeline profiles: /);
      expect(problem).toContain(detail);
    });
  });

  describe('anchors and merge keys', () => {
    it('are resolved before the file is validated', () => {
      const text = `
pipeline:
  profiles:
    - &base
      name: a
      permissions: [contents:read]
    - <<: *base
      name: b
`;
      expect([...generationOf(text).pipelineProfiles.keys()]).toEqual(['default', 'a', 'b']);
    });
  });
});
