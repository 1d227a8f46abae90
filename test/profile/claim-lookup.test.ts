import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isMatchableClaim, lookupClaim, lookupValidClaim, maxClaimValueBytes } from '../../src/profile/claim-lookup.js';
import type { BuildkiteClaims } from '../../src/oidc/buildkite-claims.js';
import { claims } from './profile-fixtures.js';

const claimInvalid = { code: 'claim_invalid' };
const optionalClaims = [
  ['build_tag', 'buildTag'],
  ['cluster_id', 'clusterId'],
  ['cluster_name', 'clusterName'],
  ['queue_id', 'queueId'],
  ['queue_key', 'queueKey'],
] as const;
const requiredClaims = [
  ['pipeline_slug', 'pipelineSlug'],
  ['pipeline_id', 'pipelineId'],
  ['build_branch', 'buildBranch'],
  ['build_commit', 'buildCommit'],
] as const;

function withTags(agentTags: Record<string, string>): BuildkiteClaims {
  return { ...claims, agentTags };
}

describe('lookupClaim', () => {
  it('reads the required claims by their Buildkite names', () => {
    expect(requiredClaims.map(([name]) => lookupClaim(claims, name))).toEqual([
      'widget',
      '0190a1b2-0000-7000-8000-000000000001',
      'main',
      'abc123',
    ]);
  });

  it.each(requiredClaims)('answers an empty %s as "", not as not found', (name, field) => {
    expect(lookupClaim({ ...claims, [field]: '' }, name)).toBe('');
  });

  it('reads build_number as its decimal string', () => {
    expect(lookupClaim(claims, 'build_number')).toBe('42');
    expect(lookupClaim({ ...claims, buildNumber: 0 }, 'build_number')).toBe('0');
  });

  it.each(optionalClaims)('reads %s when it was sent', (name, field) => {
    expect(lookupClaim({ ...claims, [field]: 'x-1' }, name)).toBe('x-1');
  });

  it.each(optionalClaims)('answers an empty %s as not found', (name, field) => {
    expect(lookupClaim({ ...claims, [field]: '' }, name)).toBeUndefined();
  });

  describe('agent tags', () => {
    it('reads agent_tag:NAME from the tags', () => {
      expect(lookupClaim(withTags({ queue: 'deploy', os: '' }), 'agent_tag:queue')).toBe('deploy');
    });

    it('answers a present but empty tag as ""', () => {
      expect(lookupClaim(withTags({ os: '' }), 'agent_tag:os')).toBe('');
    });

    it('answers an absent tag as not found', () => {
      expect(lookupClaim(withTags({ queue: 'deploy' }), 'agent_tag:os')).toBeUndefined();
    });

    it.each(['constructor', 'toString', '__proto__', 'hasOwnProperty'])(
      'does not find Object.prototype members such as %s',
      (tag) => {
        expect(lookupClaim(withTags({}), `agent_tag:${tag}`)).toBeUndefined();
      },
    );
  });

  it.each(['organization_slug', 'step_key', 'job_id', 'agent_id', 'sub', 'buildBranch', 'agent_tag:', ''])(
    'answers %j as not found',
    (name) => {
      expect(lookupClaim(claims, name)).toBeUndefined();
    },
  );
});

describe('isMatchableClaim', () => {
  it.each([
    'pipeline_slug',
    'pipeline_id',
    'build_number',
    'build_branch',
    'build_tag',
    'build_commit',
    'cluster_id',
    'cluster_name',
    'queue_id',
    'queue_key',
    'agent_tag:queue',
    'agent_tag:a:b',
  ])('allows %s', (name) => {
    expect(isMatchableClaim(name)).toBe(true);
  });

  it.each([
    'organization_slug',
    'step_key',
    'job_id',
    'agent_id',
    'not_a_real_claim',
    'Pipeline_Slug',
    'agent_tag:',
    'agent_tag:has space',
    'agent_tag:tab\there',
    'agent_tag:nbsp\u00a0',
    'agent_tag:nul\u0000',
    ' pipeline_slug',
    '',
  ])('refuses %j', (name) => {
    expect(isMatchableClaim(name)).toBe(false);
  });
});

describe('lookupValidClaim', () => {
  const branch = (buildBranch: string): BuildkiteClaims => ({ ...claims, buildBranch });

  it('answers a value of exactly 256 UTF-8 bytes', () => {
    expect(lookupValidClaim(branch('a'.repeat(maxClaimValueBytes)), 'build_branch')).toHaveLength(256);
    expect(lookupValidClaim(branch('é'.repeat(128)), 'build_branch')).toBe('é'.repeat(128));
  });

  it('refuses a value of 257 bytes, counting UTF-8 bytes rather than characters', () => {
    expect(() => lookupValidClaim(branch('a'.repeat(257)), 'build_branch')).toThrow(
      expect.objectContaining({ ...claimInvalid, claim: 'build_branch' }),
    );
    expect(() => lookupValidClaim(branch(`${'é'.repeat(128)}a`), 'build_branch')).toThrow(
      expect.objectContaining(claimInvalid),
    );
  });

  it.each([
    ['newline', 'main\n'],
    ['tab', 'a\tb'],
    ['space', 'a b'],
    ['NUL', 'a\u0000'],
    ['DEL', 'a\u007f'],
    ['C1 control', 'a\u0090'],
    ['next line', 'a\u0085'],
    ['no-break space', 'a\u00a0b'],
    ['ogham space mark', 'a\u1680'],
    ['en quad', 'a\u2000'],
    ['hair space', 'a\u200a'],
    ['line separator', 'a\u2028'],
    ['paragraph separator', 'a\u2029'],
    ['narrow no-break space', 'a\u202f'],
    ['medium mathematical space', 'a\u205f'],
    ['ideographic space', 'a\u3000'],
  ])('refuses a value holding a %s', (_what, value) => {
    expect(() => lookupValidClaim(branch(value), 'build_branch')).toThrow(expect.objectContaining(claimInvalid));
  });

  it.each([
    ['zero-width space', 'a\u200bb'],
    ['byte-order mark', 'a\ufeffb'],
    ['emoji', 'feature/🚀'],
  ])('answers a value holding a %s', (_what, value) => {
    expect(lookupValidClaim(branch(value), 'build_branch')).toBe(value);
  });

  it('validates agent tag values too', () => {
    expect(() => lookupValidClaim(withTags({ queue: 'a b' }), 'agent_tag:queue')).toThrow(
      expect.objectContaining({ ...claimInvalid, claim: 'agent_tag:queue' }),
    );
  });

  it('answers not found without validating anything', () => {
    expect(lookupValidClaim(claims, 'build_tag')).toBeUndefined();
  });

  it('throws nothing but claim_invalid for arbitrary names and values', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), fc.string({ unit: 'binary', maxLength: 300 }), (name, value) => {
        const arbitrary = { ...claims, buildBranch: value, agentTags: { [name.slice(10)]: value } };
        try {
          const found = lookupValidClaim(arbitrary, name);
          if (found !== undefined) expect(Buffer.byteLength(found)).toBeLessThanOrEqual(maxClaimValueBytes);
        } catch (error) {
          expect(error).toMatchObject(claimInvalid);
        }
      }),
    );
  });
});
