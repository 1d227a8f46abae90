import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { checkProfileFile } from '../../src/profile/check-profile-file.js';
import { explainProfile } from '../../src/profile/explain-profile.js';
import { sampleClaims } from '../../src/profile/sample-claims.js';

const example = readFileSync(new URL('../../profiles.example.yaml', import.meta.url), 'utf8');

describe('profiles check', () => {
  it('passes profiles.example.yaml, listing every profile', () => {
    const report = checkProfileFile(example);

    expect(report.ok).toBe(true);
    expect(report.lines).toContain('every profile is valid');
    expect(report.lines.filter((line) => /^ {2}(org|pipeline):/.test(line))).toHaveLength(7);
  });

  it('fails on a rule over job_id, naming the profile and the reason', () => {
    const report = checkProfileFile(
      'organization:\n  profiles:\n    - name: bad\n      match: [{ claim: job_id, value: x }]\n      repositories: [a]\n      permissions: ["contents:read"]\n',
    );

    expect(report.ok).toBe(false);
    expect(report.lines).toContain('  org:bad: invalid match rule for claim "job_id": claim "job_id" is not allowed for matching');
  });

  it('fails a file that does not parse as a whole', () => {
    expect(checkProfileFile('organisation: {}\n')).toEqual({
      ok: false,
      lines: [expect.stringMatching(/^invalid profile file: profile file parsing failed/)],
    });
  });
});

describe('profiles explain', () => {
  const claims = (json: object) => sampleClaims(json);

  it('shows each rule with the claim value, and the verdict', () => {
    const report = explainProfile(example, 'org:release-publisher', claims({ pipeline_slug: 'api-release', build_branch: 'main' }));

    expect(report).toEqual({
      matched: true,
      lines: [
        'org:release-publisher',
        '  match    pipeline_slug = "api-release" against valuePattern ".*-release"',
        '  match    build_branch = "main" against value "main"',
        'verdict: vended',
      ],
    });
  });

  it('names the rules that fail, a missing claim reading as empty', () => {
    const report = explainProfile(example, 'release-publisher', claims({ pipeline_slug: 'api-release' }));

    expect(report.matched).toBe(false);
    expect(report.lines).toContain('  NO MATCH build_branch = "" against value "main"');
    expect(report.lines.at(-1)).toBe('verdict: denied (403 Forbidden)');
  });

  it('explains agent_tag rules and pipeline profiles', () => {
    expect(explainProfile(example, 'org-reader', claims({ 'agent_tag:queue': 'trusted' })).matched).toBe(true);
    expect(explainProfile(example, 'pipeline:release', claims({ build_branch: 'release/1.2' })).matched).toBe(true);
  });

  it('says when a value would be refused outright', () => {
    const report = explainProfile(example, 'pipeline:release', claims({ build_branch: 'main\n' }));

    expect(report.lines).toContain('  NO MATCH build_branch refused: value contains whitespace or control characters');
  });

  it('reports an unknown profile', () => {
    expect(explainProfile(example, 'org:nope', claims({})).lines).toEqual(['org:nope: profile not found']);
  });
});
