import { describe, expect, it } from 'vitest';
import type { BuildkiteClaims } from '../../src/oidc/buildkite-claims.js';
import { compileMatchRules } from '../../src/profile/match-rules.js';
import type { ClaimMatcher } from '../../src/profile/profile.js';
import type { MatchRuleConfig } from '../../src/profile/profile-file-schema.js';
import { claims } from './profile-fixtures.js';

const claimInvalid = { code: 'claim_invalid' };

function matcher(rules: readonly MatchRuleConfig[]): ClaimMatcher {
  const result = compileMatchRules(rules);
  if (!result.ok) throw new Error(`test rules are invalid: ${result.reason}`);
  return result.match;
}

function onBranch(buildBranch: string): BuildkiteClaims {
  return { ...claims, buildBranch };
}

describe('compileMatchRules', () => {
  describe('with no rules', () => {
    it('matches everyone, with no matches to report', () => {
      expect(matcher([])(claims)).toEqual({ matched: true, matches: [] });
    });
  });

  describe('a value rule', () => {
    const match = matcher([{ claim: 'pipeline_slug', value: 'widget' }]);

    it('matches the exact value and reports it', () => {
      expect(match(claims)).toEqual({ matched: true, matches: [{ claim: 'pipeline_slug', value: 'widget' }] });
    });

    it('is case-sensitive and reports the attempt on failure', () => {
      expect(match({ ...claims, pipelineSlug: 'Widget' })).toEqual({
        matched: false,
        attempted: { claim: 'pipeline_slug', pattern: 'widget', value: 'Widget' },
      });
    });

    it('does not read its value as a pattern', () => {
      expect(matcher([{ claim: 'build_branch', value: 'ma.n' }])(claims).matched).toBe(false);
    });
  });

  describe('a valuePattern rule', () => {
    it('matches the whole value and reports the actual value', () => {
      expect(matcher([{ claim: 'build_branch', valuePattern: 'release/.*' }])(onBranch('release/1.2'))).toEqual({
        matched: true,
        matches: [{ claim: 'build_branch', value: 'release/1.2' }],
      });
    });

    it('is anchored around the whole alternation', () => {
      const match = matcher([{ claim: 'build_branch', valuePattern: 'main|master' }]);
      expect(['main', 'master', 'not-main', 'mainly', 'amaster', ''].map((b) => match(onBranch(b)).matched)).toEqual([
        true,
        true,
        false,
        false,
        false,
        false,
      ]);
    });

    it('reports the pattern as written when it fails', () => {
      expect(matcher([{ claim: 'build_branch', valuePattern: 'main|master' }])(onBranch('mainly'))).toEqual({
        matched: false,
        attempted: { claim: 'build_branch', pattern: 'main|master', value: 'mainly' },
      });
    });

    it('treats a literal pattern as an exact match', () => {
      const match = matcher([{ claim: 'pipeline_slug', valuePattern: 'widget' }]);
      expect(match(claims).matched).toBe(true);
      expect(match({ ...claims, pipelineSlug: 'widgets' }).matched).toBe(false);
      expect(match({ ...claims, pipelineSlug: 'my-widget' }).matched).toBe(false);
    });

    it('cannot escape its anchors by closing the group', () => {
      expect(compileMatchRules([{ claim: 'build_branch', valuePattern: 'x)|(.*' }])).toEqual({
        ok: false,
        reason: expect.stringMatching(/^failed to compile regex pattern "x\)\|\(\.\*": /),
      });
    });

    it('answers a catastrophic-backtracking pattern at once (RE2 is linear)', () => {
      const match = matcher([{ claim: 'build_branch', valuePattern: '(a+)+b' }]);
      const startedMs = performance.now();
      const result = match(onBranch('a'.repeat(40)));
      expect(performance.now() - startedMs).toBeLessThan(100);
      expect(result.matched).toBe(false);
    });
  });

  describe('build_number', () => {
    it('is matched as its decimal string', () => {
      expect(matcher([{ claim: 'build_number', value: '42' }])(claims).matched).toBe(true);
      expect(matcher([{ claim: 'build_number', valuePattern: '4[0-9]' }])(claims).matched).toBe(true);
      expect(matcher([{ claim: 'build_number', value: '042' }])(claims).matched).toBe(false);
    });
  });

  describe('agent tag rules', () => {
    const match = matcher([{ claim: 'agent_tag:queue', value: 'deploy' }]);

    it('match the tag value', () => {
      expect(match({ ...claims, agentTags: { queue: 'deploy' } })).toEqual({
        matched: true,
        matches: [{ claim: 'agent_tag:queue', value: 'deploy' }],
      });
    });

    it('do not match when the agent lacks the tag', () => {
      expect(match(claims)).toEqual({
        matched: false,
        attempted: { claim: 'agent_tag:queue', pattern: 'deploy', value: '' },
      });
    });
  });

  describe('claims that are not found', () => {
    it('are a plain non-match recorded with the value ""', () => {
      expect(matcher([{ claim: 'build_tag', valuePattern: '.*' }])(claims)).toEqual({
        matched: false,
        attempted: { claim: 'build_tag', pattern: '.*', value: '' },
      });
    });

    it.each(['build_tag', 'cluster_id', 'cluster_name', 'queue_id', 'queue_key'])(
      'never match when the optional %s is empty, even with .*',
      (claim) => {
        expect(matcher([{ claim, valuePattern: '.*' }])(claims).matched).toBe(false);
      },
    );

    it('leave an empty required claim matchable by .*', () => {
      expect(matcher([{ claim: 'build_branch', valuePattern: '.*' }])(onBranch('')).matched).toBe(true);
    });
  });

  describe('several rules', () => {
    const rules = [
      { claim: 'pipeline_slug', value: 'widget' },
      { claim: 'build_branch', valuePattern: 'main|release/.*' },
    ];

    it('must all match, and every match is reported', () => {
      expect(matcher(rules)(claims)).toEqual({
        matched: true,
        matches: [
          { claim: 'pipeline_slug', value: 'widget' },
          { claim: 'build_branch', value: 'main' },
        ],
      });
    });

    it('stop at the first failure without looking at later claims', () => {
      const spoiled = { ...claims, pipelineSlug: 'other', buildBranch: 'bad\nvalue' };
      expect(matcher(rules)(spoiled)).toEqual({
        matched: false,
        attempted: { claim: 'pipeline_slug', pattern: 'widget', value: 'other' },
      });
    });
  });

  describe('claim values', () => {
    const match = matcher([{ claim: 'build_branch', valuePattern: '.*' }]);

    it.each([
      ['longer than 256 bytes', 'a'.repeat(257)],
      ['holding a newline', 'main\nx'],
      ['holding a no-break space', 'main\u00a0x'],
    ])('are refused with claim_invalid when %s', (_what, branch) => {
      expect(() => match(onBranch(branch))).toThrow(expect.objectContaining({ ...claimInvalid, claim: 'build_branch' }));
    });

    it('are refused even when a value rule would not match them', () => {
      expect(() => matcher([{ claim: 'build_branch', value: 'main' }])(onBranch('x y'))).toThrow(
        expect.objectContaining(claimInvalid),
      );
    });

    it('may hold a zero-width space', () => {
      expect(match(onBranch('main\u200b')).matched).toBe(true);
    });

    it('are looked at only for the claims a rule uses', () => {
      expect(matcher([{ claim: 'pipeline_slug', value: 'widget' }])(onBranch('bad\nbranch')).matched).toBe(true);
    });
  });

  describe('invalid rules', () => {
    it.each([
      [{ claim: 'build_branch', value: 'main', valuePattern: 'main' }, "exactly one of 'value' or 'valuePattern' must be specified"],
      [{ claim: 'build_branch' }, "one of 'value' or 'valuePattern' is required"],
      [{ claim: 'build_branch', value: '', valuePattern: '' }, "one of 'value' or 'valuePattern' is required"],
      [{ claim: 'build_branch', value: null, valuePattern: null }, "one of 'value' or 'valuePattern' is required"],
    ])('refuse %j', (rule, problem) => {
      expect(compileMatchRules([rule])).toEqual({
        ok: false,
        reason: `invalid match rule for claim "build_branch": ${problem}`,
      });
    });

    it('take an empty value beside a pattern as the pattern alone', () => {
      expect(compileMatchRules([{ claim: 'build_branch', value: '', valuePattern: 'main' }]).ok).toBe(true);
    });

    it.each(['organization_slug', 'step_key', 'job_id', 'agent_id', 'not_a_real_claim', 'agent_tag:', 'agent_tag:a b'])(
      'refuse the claim %j',
      (claim) => {
        expect(compileMatchRules([{ claim, value: 'x' }])).toEqual({
          ok: false,
          reason: `invalid match rule for claim ${JSON.stringify(claim)}: claim ${JSON.stringify(claim)} is not allowed for matching`,
        });
      },
    );

    it.each(['(a)\\1', '(?=a)', '(?!a)', '(?<=a)b', '[', 'a{1001}', '(', '\\C'])('refuse the pattern %j, which RE2 rejects', (pattern) => {
      expect(compileMatchRules([{ claim: 'build_branch', valuePattern: pattern }])).toEqual({
        ok: false,
        reason: expect.stringMatching(/^failed to compile regex pattern /),
      });
    });

    it('report the first invalid rule', () => {
      expect(
        compileMatchRules([
          { claim: 'pipeline_slug', value: 'widget' },
          { claim: 'job_id', value: 'x' },
          { claim: 'build_branch', valuePattern: '(' },
        ]),
      ).toMatchObject({ ok: false, reason: expect.stringContaining('"job_id"') });
    });
  });
});
