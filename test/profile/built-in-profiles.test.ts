import { describe, expect, it } from 'vitest';
import { builtInDigest, builtInGeneration, unrestrictedPipelineProfile } from '../../src/profile/built-in-profiles.js';
import { claims } from './profile-fixtures.js';

describe('built-in profiles', () => {
  describe('the generation served without a profile file', () => {
    it('has the digest default-profile:v1 and only the pipeline default profile', () => {
      const generation = builtInGeneration();
      expect(builtInDigest).toBe('default-profile:v1');
      expect(generation.digest).toBe('default-profile:v1');
      expect([...generation.pipelineProfiles.keys()]).toEqual(['default']);
    });

    it('grants contents:read and metadata:read to every pipeline', () => {
      const profile = builtInGeneration().pipelineProfiles.get('default');
      expect(profile).toEqual({
        name: 'default',
        permissions: ['contents:read', 'metadata:read'],
        githubPermissions: { contents: 'read', metadata: 'read' },
        match: expect.any(Function),
      });
      expect(profile?.match(claims)).toEqual({ matched: true, matches: [] });
    });
  });

  describe('unrestrictedPipelineProfile', () => {
    it('does not add metadata:read twice', () => {
      expect(unrestrictedPipelineProfile('p', ['metadata:read', 'pull_requests:write'])).toMatchObject({
        permissions: ['metadata:read', 'pull_requests:write'],
        githubPermissions: { metadata: 'read', pull_requests: 'write' },
      });
    });

    it('refuses invalid permissions as our own bug', () => {
      expect(() => unrestrictedPipelineProfile('broken', ['contents:admin'])).toThrow(
        expect.objectContaining({ code: 'internal' }),
      );
    });
  });
});
