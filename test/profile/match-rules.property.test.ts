import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { BuildkiteClaims } from '../../src/oidc/buildkite-claims.js';
import { compileMatchRules } from '../../src/profile/match-rules.js';
import { claims } from './profile-fixtures.js';

const claimInvalid = { code: 'claim_invalid' };

describe('compileMatchRules on arbitrary input', () => {
  const claimName = fc.oneof(
    fc.constantFrom('pipeline_slug', 'build_number', 'build_branch', 'build_tag', 'queue_key', 'agent_tag:queue', 'job_id'),
    fc.string(),
  );
  const text = fc.oneof(fc.string({ unit: 'binary', maxLength: 30 }), fc.constantFrom('.*', '(a+)+b', 'main|master', '('));
  const rule = fc.record(
    { claim: claimName, value: fc.option(text), valuePattern: fc.option(text) },
    { requiredKeys: ['claim'] },
  );
  /** Rules that compile more often than not, so that matchers run. */
  const matchable = fc.constantFrom('pipeline_slug', 'build_number', 'build_branch', 'build_tag', 'queue_key', 'agent_tag:queue');
  const pattern = fc.oneof(fc.constantFrom('.*', '(a+)+b', 'main|master', '[^/]+', '\\p{L}*'), fc.string({ maxLength: 6 }));
  const wellFormedRule = fc.oneof(
    fc.record({ claim: matchable, value: fc.string({ unit: 'binary', minLength: 1, maxLength: 8 }) }),
    fc.record({ claim: matchable, valuePattern: pattern }),
  );
  const value = fc.string({ unit: 'binary', maxLength: 300 });
  const arbitraryClaims = fc
    .record({ buildBranch: value, buildTag: value, pipelineSlug: value, queue: value })
    .map(({ queue, ...fields }): BuildkiteClaims => ({ ...claims, ...fields, agentTags: { queue } }));

  it('compiling never throws', () => {
    fc.assert(
      fc.property(fc.array(rule, { maxLength: 4 }), (rules) => {
        const result = compileMatchRules(rules);
        expect(typeof result.ok).toBe('boolean');
      }),
    );
  });

  it('a matcher throws nothing but claim_invalid', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(rule, wellFormedRule, wellFormedRule), { maxLength: 4 }), arbitraryClaims, (rules, subject) => {
        const compiled = compileMatchRules(rules);
        if (!compiled.ok) return;
        try {
          const result = compiled.match(subject);
          if (result.matched) expect(result.matches).toHaveLength(rules.length);
        } catch (error) {
          expect(error).toMatchObject(claimInvalid);
        }
      }),
    );
  });
});
