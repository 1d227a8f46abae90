import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseProfileReference, type ProfileFamily } from '../../src/profile/profile-reference.js';

const numRuns = 300;
const prefixes = { pipeline: 'repo', organization: 'org' } as const satisfies Record<ProfileFamily, string>;
const family = fc.constantFrom<ProfileFamily>('pipeline', 'organization');
const otherFamily = (of: ProfileFamily): ProfileFamily => (of === 'pipeline' ? 'organization' : 'pipeline');
/** Any non-empty name, colons, control characters and all. */
const name = fc.string({ unit: 'binary', minLength: 1, maxLength: 30 });
const invalid = { code: 'profile_reference_invalid' };

describe('profile references, on arbitrary input', () => {
  it('reads back TYPE:NAME written with the route family own type, whatever NAME holds after the first colon', () => {
    fc.assert(
      fc.property(family, name, (routeFamily, profileName) => {
        expect(parseProfileReference(`${prefixes[routeFamily]}:${profileName}`, routeFamily)).toEqual({ family: routeFamily, name: profileName });
      }),
      { numRuns },
    );
  });

  it('refuses the other family type, whatever the name', () => {
    fc.assert(
      fc.property(family, name, (routeFamily, profileName) => {
        const value = `${prefixes[otherFamily(routeFamily)]}:${profileName}`;
        expect(() => parseProfileReference(value, routeFamily)).toThrow(expect.objectContaining(invalid));
      }),
      { numRuns },
    );
  });

  it('refuses any type outside repo and org, and an empty type or name', () => {
    const type = fc.string({ unit: 'binary', maxLength: 8 }).filter((t) => !t.includes(':') && t !== 'repo' && t !== 'org');
    fc.assert(
      fc.property(family, type, fc.string({ unit: 'binary', maxLength: 20 }), fc.boolean(), (routeFamily, profileType, profileName, emptyName) => {
        const value = emptyName ? `${prefixes[routeFamily]}:` : `${profileType}:${profileName}`;
        expect(() => parseProfileReference(value, routeFamily)).toThrow(expect.objectContaining(invalid));
      }),
      { numRuns },
    );
  });

  it('answers a non-empty name of the route family, or throws profile_reference_invalid, on any string', () => {
    fc.assert(
      fc.property(family, fc.oneof(fc.string({ unit: 'binary', maxLength: 30 }), name.map((n) => `org:${n}`), name.map((n) => `repo:${n}`)), (routeFamily, value) => {
        let reference;
        try {
          reference = parseProfileReference(value, routeFamily);
        } catch (error) {
          expect(error).toMatchObject(invalid);
          return;
        }
        expect(reference.family).toBe(routeFamily);
        expect(reference.name).not.toBe('');
        // The name is the value itself, or what follows the first colon.
        expect([value, value.slice(value.indexOf(':') + 1), 'default']).toContain(reference.name);
      }),
      { numRuns },
    );
  });
});
