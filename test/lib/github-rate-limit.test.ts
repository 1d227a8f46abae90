import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { rateLimitRemainingOf } from '../../src/lib/github-rate-limit.js';

describe('reading x-ratelimit-remaining', () => {
  it.each([['17', 17], [' 0 ', 0], [42, 42], ['', undefined], ['-1', undefined], ['1.5', undefined], ['many', undefined], [undefined, undefined]])(
    'reads %j as %j',
    (header, expected) => {
      expect(rateLimitRemainingOf(header)).toBe(expected);
    },
  );

  it('answers a non-negative integer or nothing, whatever the header holds', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.jsonValue()), (value) => {
        const remaining = rateLimitRemainingOf(value);
        expect(remaining === undefined || (Number.isSafeInteger(remaining) && remaining >= 0)).toBe(true);
      }),
    );
  });

  it('reads back any count GitHub could send', () => {
    fc.assert(
      fc.property(fc.nat(), (count) => {
        expect(rateLimitRemainingOf(String(count))).toBe(count);
      }),
    );
  });
});
