import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BridgeError } from '../../src/errors.js';
import { parseProfileReference, type ProfileFamily } from '../../src/profile/profile-reference.js';
import { isValidRepositoryScope } from '../../src/profile/repository-scope.js';

const invalid = { code: 'profile_reference_invalid' };
const families: readonly ProfileFamily[] = ['pipeline', 'organization'];

describe('parseProfileReference', () => {
  describe('when the value is empty', () => {
    it('names the default profile on pipeline routes', () => {
      expect(parseProfileReference('', 'pipeline')).toEqual({ family: 'pipeline', name: 'default' });
    });

    it('is refused on organization routes, which have no default', () => {
      expect(() => parseProfileReference('', 'organization')).toThrow(expect.objectContaining(invalid));
    });
  });

  describe('when the value is a bare name', () => {
    it.each(families)('takes the route family for %s routes', (family) => {
      expect(parseProfileReference('deploy', family)).toEqual({ family, name: 'deploy' });
    });
  });

  describe('when the value is type:name', () => {
    it.each([
      ['repo:deploy', 'pipeline', 'deploy'],
      ['org:shared', 'organization', 'shared'],
      ['repo:a:b', 'pipeline', 'a:b'],
    ] as const)('reads %s on %s routes as %s', (value, family, name) => {
      expect(parseProfileReference(value, family)).toEqual({ family, name });
    });

    it.each([
      ['repo:', 'pipeline'],
      [':deploy', 'pipeline'],
      [':', 'pipeline'],
      ['team:deploy', 'pipeline'],
      ['REPO:deploy', 'pipeline'],
      ['org:shared', 'pipeline'],
      ['repo:deploy', 'organization'],
    ] as const)('refuses %s on %s routes', (value, family) => {
      expect(() => parseProfileReference(value, family)).toThrow(expect.objectContaining({ ...invalid, reference: value }));
    });
  });

  describe('on arbitrary input', () => {
    const value = fc.oneof(
      fc.string({ unit: 'binary' }),
      fc.tuple(fc.constantFrom('repo', 'org', '', 'x'), fc.string()).map(([type, name]) => `${type}:${name}`),
    );

    it('throws nothing but profile_reference_invalid', () => {
      fc.assert(
        fc.property(value, fc.constantFrom(...families), (raw, family) => {
          try {
            const reference = parseProfileReference(raw, family);
            expect(reference.family).toBe(family);
            expect(reference.name).not.toBe('');
          } catch (error) {
            expect(error).toBeInstanceOf(BridgeError);
            expect(error).toMatchObject(invalid);
          }
        }),
        { numRuns: 500 },
      );
    });

    it('reads repo:NAME and NAME alike on pipeline routes when NAME has no colon', () => {
      fc.assert(
        fc.property(fc.string({ minLength: 1 }).filter((name) => !name.includes(':')), (name) => {
          expect(parseProfileReference(`repo:${name}`, 'pipeline')).toEqual(parseProfileReference(name, 'pipeline'));
        }),
        { numRuns: 300 },
      );
    });
  });
});

describe('repository scope validation', () => {
  it.each([['widget'], ['my.repo'], ['a_b-c'], ['.github']])('accepts %s', (scope) => {
    expect(isValidRepositoryScope(scope)).toBe(true);
  });

  it.each([[''], ['.'], ['..'], ['acme/widget'], ['my repo'], ['a%2Fb'], ['é'], ['a\n']])('refuses %j', (scope) => {
    expect(isValidRepositoryScope(scope)).toBe(false);
  });
});
