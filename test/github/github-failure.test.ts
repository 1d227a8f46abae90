import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { gitHubFailure, gitHubRateLimitWaitSecs } from '../../src/github/github-failure.js';

const sentAt = 'Mon, 07 Dec 2026 12:00:00 GMT';
const sentAtSecs = Date.parse(sentAt) / 1000;
const headers = (fields: Record<string, string>) => new Headers({ date: sentAt, ...fields });
/** What a header value can hold: printable ASCII. */
const printable = (text: string) => text.replace(/[^\x20-\x7e]/g, '');

describe("reading GitHub's rate-limit answers", () => {
  it.each([
    ['a 429 with Retry-After seconds', 429, { 'retry-after': '30' }, 30],
    ['a 429 with Retry-After as a date', 429, { 'retry-after': 'Mon, 07 Dec 2026 12:02:00 GMT' }, 120],
    ['a 429 saying nothing', 429, {}, 60],
    ['a secondary-limit 403 with Retry-After', 403, { 'retry-after': '5' }, 5],
    ['a spent primary limit', 403, { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(sentAtSecs + 600) }, 600],
    ['a spent limit without a reset', 403, { 'x-ratelimit-remaining': '0' }, 60],
    ['a reset already past (clock skew)', 429, { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(sentAtSecs - 5) }, 1],
    ['a wait of a week', 429, { 'retry-after': '604800' }, 3600],
  ])('waits for %s', (_case, status, fields, seconds) => {
    expect(gitHubRateLimitWaitSecs(status, headers(fields))).toBe(seconds);
  });

  it.each([
    ['a plain 403', 403, { 'x-ratelimit-remaining': '4000' }],
    ['a 403 without headers', 403, {}],
    ['a 500 with Retry-After', 500, { 'retry-after': '5' }],
    ['a 401', 401, { 'x-ratelimit-remaining': '0' }],
  ])('sees no rate limit in %s', (_case, status, fields) => {
    expect(gitHubRateLimitWaitSecs(status, headers(fields))).toBeUndefined();
  });

  it('answers a whole wait of 1 s to an hour, or none, whatever the headers hold', () => {
    fc.assert(
      fc.property(fc.constantFrom(403, 429), fc.string(), fc.string(), fc.string(), (status, retryAfter, remaining, reset) => {
        const fields = { 'retry-after': printable(retryAfter), 'x-ratelimit-remaining': printable(remaining), 'x-ratelimit-reset': printable(reset) };
        const wait = gitHubRateLimitWaitSecs(status, headers(fields));
        expect(wait === undefined || (Number.isInteger(wait) && wait >= 1 && wait <= 3600)).toBe(true);
      }),
    );
  });
});

describe('the error for a GitHub answer', () => {
  it.each([
    [502, { code: 'upstream_failed', detail: 'HTTP 502', retryable: true }],
    [404, { code: 'upstream_failed', detail: 'HTTP 404', retryable: false }],
    [429, { code: 'upstream_rate_limited', retryAfterSeconds: 60 }],
  ])('for HTTP %i is %o', (status, expected) => {
    expect(gitHubFailure('installation token', new Response(null, { status, headers: headers({}) }))).toMatchObject(expected);
  });
});
