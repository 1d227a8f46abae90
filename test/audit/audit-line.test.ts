import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AuditEntry, type TokenDetails } from '../../src/audit/audit-entry.js';
import { auditLineOf } from '../../src/audit/audit-line.js';
import { RequestInvalidError } from '../../src/errors.js';
import type { BuildkiteClaims } from '../../src/oidc/buildkite-claims.js';
import { claims as defaultClaims } from '../profile/profile-fixtures.js';

const isoTimeOf = (ms: number) => new Date(ms).toISOString();

/** The line as pino wrote it from `render()`: its envelope around the record, in its order. */
function pinoLineOf(entry: AuditEntry, status: number, nowMs: number): string {
  return `${JSON.stringify({ level: 30, time: isoTimeOf(nowMs), ...entry.render(status, nowMs, isoTimeOf), msg: 'audit_event' })}\n`;
}

// Strings that need escaping in JSON: quotes, backslashes, control characters, lone surrogates.
const awkward = fc.constantFrom('"', '\\', '\n\t\u0000\u001f', '\ud800', 'a\udfffb', '😀', '\u2028', '</script>', '');
const anyText = fc.oneof(fc.string(), fc.string({ unit: 'binary' }), awkward, fc.string({ unit: awkward }));
const maybe = <T,>(arbitrary: fc.Arbitrary<T>) => fc.option(arbitrary, { nil: undefined });
const anyNumber = fc.oneof(fc.integer(), fc.double(), fc.constantFrom(0, -0, 1e21, 1e-7, Number.NaN, Infinity));
const timeMs = fc.oneof(fc.integer({ min: 0, max: 4_102_444_800_000 }), fc.constantFrom(Number.NaN, Infinity));

const claimsArbitrary: fc.Arbitrary<BuildkiteClaims> = fc.record({
  organizationSlug: anyText,
  pipelineSlug: anyText,
  jobId: anyText,
  buildNumber: anyNumber,
  buildBranch: anyText,
  subject: anyText,
  issuer: anyText,
  audience: fc.array(anyText, { maxLength: 3 }),
  expiresAtSecs: fc.oneof(fc.integer({ min: 0, max: 4_102_444_800 }), fc.constant(Number.NaN)),
}).map((varied) => ({ ...defaultClaims, ...varied }));

const tokenArbitrary: fc.Arbitrary<TokenDetails> = fc.record(
  {
    vendedRepository: anyText,
    installationAccount: anyText,
    hashedToken: anyText,
    repositories: fc.array(anyText, { maxLength: 3 }),
    permissions: fc.array(anyText, { maxLength: 3 }),
    expiresAtMs: timeMs,
  },
  { requiredKeys: [] },
);

const entryArbitrary = fc.record({
  request: fc.record({ requestId: anyText, method: anyText, path: anyText, sourceIP: anyText, userAgent: anyText }),
  claims: maybe(claimsArbitrary),
  error: maybe(anyText),
  ended: fc.constantFrom('issued', 'unmatched', 'failure', 'closed', 'open'),
  requestedProfile: maybe(anyText),
  requestedRepository: maybe(anyText),
  matches: maybe(fc.array(fc.record({ claim: anyText, value: anyText }), { maxLength: 3 })),
  attemptedPatterns: maybe(fc.array(fc.record({ claim: anyText, pattern: anyText, value: anyText }), { maxLength: 2 })),
  token: tokenArbitrary,
  status: fc.constantFrom(200, 204, 401, 403, 404, 429, 499, 500, 503),
  nowMs: fc.integer({ min: 0, max: 4_102_444_800_000 }),
});

type EntryParts = typeof entryArbitrary extends fc.Arbitrary<infer T> ? T : never;

function entryOf(parts: EntryParts): AuditEntry {
  const entry = new AuditEntry(parts.request);
  if (parts.claims !== undefined) entry.recordClaims(parts.claims);
  if (parts.error !== undefined) entry.recordError(parts.error);
  if (parts.ended === 'issued') entry.recordIssued(parts.token);
  if (parts.ended === 'unmatched') entry.recordUnmatched();
  if (parts.ended === 'failure') entry.recordFailure(new RequestInvalidError('bad request'));
  if (parts.ended === 'closed') entry.recordClientClosed();
  if (parts.ended !== 'issued') entry.token = parts.token;
  entry.requestedProfile = parts.requestedProfile;
  entry.requestedRepository = parts.requestedRepository;
  entry.matches = parts.matches;
  entry.attemptedPatterns = parts.attemptedPatterns;
  return entry;
}

describe('audit line', () => {
  describe('for any record', () => {
    it('is exactly the line pino wrote from the rendered record, and parses back to it', () => {
      fc.assert(
        fc.property(entryArbitrary, (parts) => {
          const entry = entryOf(parts);
          const line = auditLineOf(entry, parts.status, parts.nowMs, isoTimeOf);
          expect(line).toBe(pinoLineOf(entry, parts.status, parts.nowMs));
          expect(JSON.parse(line)).toEqual(JSON.parse(pinoLineOf(entry, parts.status, parts.nowMs)));
        }),
        { numRuns: 1000 },
      );
    });
  });

  describe('when a string needs escaping', () => {
    it('escapes it as JSON does, on one line', () => {
      const entry = new AuditEntry({ requestId: 'r"1', method: 'POST', path: '/token\\x', sourceIP: '10.0.0.1', userAgent: 'a\nb\ud800' });
      entry.recordError('line one\nline "two"');
      const line = auditLineOf(entry, 401, 0, isoTimeOf);
      expect(line.indexOf('\n')).toBe(line.length - 1);
      expect(JSON.parse(line)).toMatchObject({
        requestId: 'r"1',
        request: { path: '/token\\x', userAgent: 'a\nb\ud800' },
        error: 'line one\nline "two"',
      });
    });
  });
});
