import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseBuildkiteClaims } from '../../src/oidc/buildkite-claims.js';

const payload = {
  iss: 'https://agent.buildkite.com',
  sub: 'organization:acme:pipeline:widget:ref:refs/heads/main:commit:abc123:step:build',
  aud: ['app-token-issuer', 'other'],
  exp: 1_800_000_300,
  nbf: 1_800_000_000,
  organization_slug: 'acme',
  pipeline_slug: 'widget',
  pipeline_id: 'p-1',
  build_number: 7,
  build_branch: 'main',
  build_commit: 'abc123',
  job_id: 'j-1',
  agent_id: 'a-1',
};

describe('parseBuildkiteClaims', () => {
  describe('when the payload has every required claim', () => {
    it('answers the claims in our names, optional ones empty', () => {
      expect(parseBuildkiteClaims(payload)).toEqual({
        ok: true,
        claims: {
          issuer: 'https://agent.buildkite.com',
          subject: payload.sub,
          audience: ['app-token-issuer', 'other'],
          expiresAtSecs: 1_800_000_300,
          organizationSlug: 'acme',
          pipelineSlug: 'widget',
          pipelineId: 'p-1',
          buildNumber: 7,
          buildBranch: 'main',
          buildCommit: 'abc123',
          buildTag: '',
          jobId: 'j-1',
          agentId: 'a-1',
          stepKey: '',
          clusterId: '',
          clusterName: '',
          queueId: '',
          queueKey: '',
          agentTags: {},
        },
      });
    });

    it('reads null optional claims as empty and an absent build_number as 0', () => {
      const { build_number: _absent, ...rest } = payload;
      expect(parseBuildkiteClaims({ ...rest, step_key: null, queue_key: null })).toMatchObject({
        ok: true,
        claims: { buildNumber: 0, stepKey: '', queueKey: '' },
      });
    });

    it('collects string agent_tag claims and ignores other types', () => {
      expect(
        parseBuildkiteClaims({ ...payload, 'agent_tag:queue': 'linux', 'agent_tag:gpu': true, 'agent_tag:': 'x' }),
      ).toMatchObject({ ok: true, claims: { agentTags: { queue: 'linux', '': 'x' } } });
    });
  });

  describe('when a claim is missing or of the wrong type', () => {
    it.each([
      ['pipeline_id', undefined],
      ['job_id', ''],
      ['build_number', '7'],
      ['build_number', 7.5],
      ['aud', []],
      ['exp', '1800000300'],
      ['step_key', 3],
      ['pipeline_slug', '.'],
      ['pipeline_slug', '..'],
      ['pipeline_slug', 'widget/other'],
      ['pipeline_slug', '/'],
      ['organization_slug', '..'],
      ['organization_slug', 'acme/../x'],
    ])('refuses %s = %j', (claim, value) => {
      expect(parseBuildkiteClaims({ ...payload, [claim]: value })).toEqual({
        ok: false,
        reason: expect.stringContaining(claim),
      });
    });
  });

  describe('on arbitrary input', () => {
    it('never throws on any JSON value', () => {
      fc.assert(
        fc.property(fc.jsonValue(), (value) => {
          const result = parseBuildkiteClaims(value);
          expect(typeof result.ok).toBe('boolean');
        }),
        { numRuns: 500 },
      );
    });

    it('never throws on a valid payload with arbitrary claims changed or added', () => {
      const claimName = fc.oneof(fc.constantFrom(...Object.keys(payload), 'agent_tag:queue', 'build_tag'), fc.string());
      const claimValue = fc.oneof(fc.jsonValue(), fc.constantFrom('.', '..', '/', 'a/b', './', '...'));
      fc.assert(
        fc.property(fc.dictionary(claimName, claimValue), (changes) => {
          const result = parseBuildkiteClaims({ ...payload, ...changes });
          if (!result.ok) return;
          for (const slug of [result.claims.organizationSlug, result.claims.pipelineSlug]) {
            expect(slug.length).toBeGreaterThan(0);
            expect(['.', '..']).not.toContain(slug);
            expect(slug).not.toContain('/');
          }
        }),
        { numRuns: 500 },
      );
    });
  });
});
