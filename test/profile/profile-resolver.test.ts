import { describe, expect, it } from 'vitest';
import { builtInGeneration } from '../../src/profile/built-in-profiles.js';
import type { ProfileGeneration } from '../../src/profile/profile.js';
import { createProfileResolver } from '../../src/profile/profile-resolver.js';
import { claims } from './profile-fixtures.js';

describe('profile resolver', () => {
  const generation = builtInGeneration();
  const owners = { defaultAccount: () => 'acme', serves: () => true };
  const resolve = createProfileResolver(() => generation, owners);

  describe('when the pipeline profile exists', () => {
    it('answers it with the generation digest, the contract §6.5 URN and the short name', () => {
      expect(resolve({ family: 'pipeline', name: 'default' }, claims)).toEqual({
        family: 'pipeline',
        profile: generation.pipelineProfiles.get('default'),
        digest: 'default-profile:v1',
        urn: 'profile://organization/acme/pipeline/0190a1b2-0000-7000-8000-000000000001/widget/profile/default',
        shortName: 'repo:default',
      });
    });
  });

  describe('when no profile has the name', () => {
    it('throws profile_not_found naming it', () => {
      expect(() => resolve({ family: 'pipeline', name: 'deploy' }, claims)).toThrow(
        expect.objectContaining({ code: 'profile_not_found', profileName: 'deploy' }),
      );
    });

    it('throws profile_not_found for organization references, which no generation holds yet', () => {
      expect(() => resolve({ family: 'organization', name: 'default' }, claims)).toThrow(
        expect.objectContaining({ code: 'profile_not_found' }),
      );
    });
  });

  describe('when the store moves to a new generation', () => {
    it('reads the store once per resolution, and sees the new one next time', () => {
      const next: ProfileGeneration = { ...generation, digest: 'sha256:next' };
      const generations = [generation, next];
      let reads = 0;
      const moving = createProfileResolver(() => generations[Math.min(reads++, 1)] ?? next, owners);
      expect(moving({ family: 'pipeline', name: 'default' }, claims).digest).toBe('default-profile:v1');
      expect(moving({ family: 'pipeline', name: 'default' }, claims).digest).toBe('sha256:next');
      expect(reads).toBe(2);
    });
  });
});
