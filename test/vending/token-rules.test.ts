import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ResolvedProfile } from '../../src/profile/profile-resolver.js';
import { covers, isServable, unservableFromMs } from '../../src/vending/token-rules.js';
import { minute, profileToken, resolvedProfile, startMs, widgetUrl } from './vend-fixtures.js';

const minLifetimeMs = 45 * minute;

describe('token rules', () => {
  describe('servable', () => {
    it('is servable while exactly the minimum lifetime is left, and not a millisecond later', () => {
      const token = profileToken(startMs + 60 * minute);
      expect(isServable(token, startMs + 15 * minute, minLifetimeMs)).toBe(true);
      expect(isServable(token, startMs + 15 * minute + 1, minLifetimeMs)).toBe(false);
    });

    it('is never servable with an unreadable expiry', () => {
      expect(isServable({ expiry: 'soon' }, startMs, 0)).toBe(false);
    });

    it('agrees with the moment a store drops the token, whatever the times', () => {
      fc.assert(
        fc.property(fc.integer({ min: 0, max: 7200_000 }), fc.integer({ min: 0, max: 7200_000 }), (lifetimeMs, elapsedMs) => {
          const token = profileToken(startMs + lifetimeMs);
          const nowMs = startMs + elapsedMs;
          // A store keeps an entry while now < its expiry: the same answer as the rule.
          expect(isServable(token, nowMs, minLifetimeMs)).toBe(nowMs < unservableFromMs(token, minLifetimeMs));
        }),
      );
    });
  });

  describe('covers', () => {
    const token = profileToken(startMs + 60 * minute);
    const pipeline = resolvedProfile();
    // `covers` reads an organization profile's family and owner only.
    const organization = { ...pipeline, family: 'organization', owner: 'acme', scopedRepository: undefined } as unknown as ResolvedProfile;

    it('covers exactly its pipeline repository URL for a pipeline token', () => {
      expect(covers(token, pipeline, widgetUrl, 'github.com')).toBe(true);
      expect(covers(token, pipeline, `${widgetUrl}.git`, 'github.com')).toBe(false);
      expect(covers(token, pipeline, 'https://github.com/acme/gadget', 'github.com')).toBe(false);
    });

    it('covers the repositories an organization token names, by name, or every one for a wildcard', () => {
      expect(covers(token, organization, 'https://github.com/acme/widget.git', 'github.com')).toBe(true);
      expect(covers(token, organization, 'https://github.com/acme/gadget', 'github.com')).toBe(false);
      expect(covers(token, organization, 'https://example.com/acme/widget', 'github.com')).toBe(false);
      expect(covers(token, organization, 'https://github.com/evilcorp/widget', 'github.com')).toBe(false);
      expect(covers({ ...token, repositories: { wildcard: true } }, organization, 'https://github.com/acme/any', 'github.com')).toBe(true);
    });
  });
});
