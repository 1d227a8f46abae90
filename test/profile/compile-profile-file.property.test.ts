import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { compileProfileFile } from '../../src/profile/compile-profile-file.js';
import type { MatchRuleConfig } from '../../src/profile/profile-file-schema.js';
import { claims } from './profile-fixtures.js';

/** Mostly valid values, so that many generated profiles compile and their matchers run. */
function mostly<T>(good: fc.Arbitrary<T>, bad: fc.Arbitrary<T>): fc.Arbitrary<T> {
  return fc.oneof({ arbitrary: good, weight: 6 }, { arbitrary: bad, weight: 1 });
}
const name = mostly(fc.string({ minLength: 1, maxLength: 8 }), fc.constantFrom('deploy', 'default', 'a/b', 'x:y', ''));
const permission = mostly(
  fc.constantFrom('contents:read', 'contents:write', 'metadata:read', 'pull_requests:write'),
  fc.oneof(fc.constantFrom('issues:admin', 'wiki:read', 'contents'), fc.string({ maxLength: 12 })),
);
const literal = fc.constantFrom('{{all-repositories}}', '*', '{{caller-scoped-repository}}');
const repositories = mostly(
  fc.oneof(fc.array(fc.constantFrom('widget', 'gadget'), { minLength: 1, maxLength: 3 }), literal.map((entry) => [entry])),
  fc.array(fc.oneof(literal, fc.constantFrom('acme/widget', '', 'a b'), fc.string({ maxLength: 8 })), { maxLength: 3 }),
);
const claim = mostly(
  fc.constantFrom('build_branch', 'build_number', 'pipeline_slug', 'agent_tag:queue'),
  fc.oneof(fc.constant('job_id'), fc.string()),
);
const pattern = fc.oneof(fc.constantFrom('.*', 'main|master', '[0-9]+', '(a+)+b', '(a)\\1', '('), fc.string({ maxLength: 8 }));
const rule = mostly<MatchRuleConfig>(
  fc.oneof(
    fc.record({ claim, value: fc.constantFrom('main', '42', 'widget') }),
    fc.record({ claim, valuePattern: pattern }),
  ),
  fc.record(
    { claim, value: fc.option(fc.string({ maxLength: 8 })), valuePattern: fc.option(pattern) },
    { requiredKeys: ['claim'] },
  ),
);
const organizationProfile = fc.record(
  {
    name,
    match: fc.array(rule, { maxLength: 3 }),
    repositories,
    permissions: mostly(fc.array(permission, { minLength: 1, maxLength: 3 }), fc.constant<string[]>([])),
  },
  { requiredKeys: ['name', 'repositories', 'permissions'] },
);
const pipelineProfile = fc.record(
  {
    name,
    match: fc.array(rule, { maxLength: 3 }),
    permissions: mostly(fc.array(permission, { minLength: 1, maxLength: 3 }), fc.constant<string[]>([])),
  },
  { requiredKeys: ['name', 'permissions'] },
);
/** Files shaped like profile files, so the per-profile compilers are reached. */
const profileFile = fc.record({
  organization: fc.record({ profiles: fc.array(organizationProfile, { maxLength: 4 }) }),
  pipeline: fc.record(
    {
      defaults: fc.record({ permissions: fc.array(permission, { maxLength: 2 }) }),
      profiles: fc.array(pipelineProfile, { maxLength: 4 }),
    },
    { requiredKeys: [] },
  ),
});

describe('compileProfileFile on arbitrary input', () => {
  it('never throws on arbitrary text', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (text) => {
        const result = compileProfileFile(text);
        if (!result.ok) expect(result.problem).toMatch(/^(profile file parsing failed|invalid default permissions)/);
      }),
      { numRuns: 500 },
    );
  });

  it('never throws on arbitrary JSON-like values written as YAML', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const result = compileProfileFile(stringify(value));
        expect(typeof result.ok).toBe('boolean');
      }),
      { numRuns: 500 },
    );
  });

  it('files it accepts have a default pipeline profile and a SHA-256 digest', () => {
    fc.assert(
      fc.property(profileFile, (file) => {
        const result = compileProfileFile(stringify(file));
        if (!result.ok) return;
        expect(result.generation.digest).toMatch(/^[0-9a-f]{64}$/);
        expect(result.generation.pipelineProfiles.get('default')?.match(claims)).toEqual({ matched: true, matches: [] });
      }),
    );
  });

  it('puts every profile name of an accepted file in exactly one of its valid and invalid maps', () => {
    fc.assert(
      fc.property(profileFile, (file) => {
        const result = compileProfileFile(stringify(file));
        if (!result.ok) return;
        const { generation } = result;
        for (const { name: profileName } of file.organization.profiles) {
          const places = [generation.organizationProfiles.has(profileName), generation.invalidOrganizationProfiles.has(profileName)];
          expect(places.filter(Boolean)).toHaveLength(1);
        }
        for (const { name: profileName } of file.pipeline.profiles ?? []) {
          expect(generation.invalidPipelineProfiles.has(profileName) || generation.pipelineProfiles.has(profileName)).toBe(true);
          if (profileName !== 'default') {
            expect(generation.invalidPipelineProfiles.has(profileName)).not.toBe(generation.pipelineProfiles.has(profileName));
          }
        }
      }),
    );
  });

  it('matchers of accepted profiles throw nothing but claim_invalid', () => {
    const subject = fc
      .record({ buildBranch: fc.string({ unit: 'binary', maxLength: 300 }), queue: fc.string({ maxLength: 8 }) })
      .map(({ buildBranch, queue }) => ({ ...claims, buildBranch, agentTags: { queue } }));
    fc.assert(
      fc.property(profileFile, subject, (file, caller) => {
        const result = compileProfileFile(stringify(file));
        if (!result.ok) return;
        const profiles = [...result.generation.organizationProfiles.values(), ...result.generation.pipelineProfiles.values()];
        for (const profile of profiles) {
          try {
            profile.match(caller);
          } catch (error) {
            expect(error).toMatchObject({ code: 'claim_invalid' });
          }
        }
      }),
    );
  });
});
