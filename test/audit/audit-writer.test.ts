import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { AuditEntry } from '../../src/audit/audit-entry.js';
import { createAuditWriter } from '../../src/audit/audit-writer.js';
import { createManualClock } from '../../src/lib/clock.js';
import { claims } from '../profile/profile-fixtures.js';

const nowMs = Date.UTC(2026, 10, 23, 18, 0, 0);
const request = { requestId: 'req-7', method: 'POST', path: '/token', sourceIP: '10.0.0.1:5123', userAgent: 'curl/8' };

function capture() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(chunk.toString());
      done();
    },
  });
  return { stream, lines };
}

describe('audit writer', () => {
  describe('when a vend was issued', () => {
    it('writes one JSON line: audit_event at info, with the whole record', () => {
      const { stream, lines } = capture();
      const write = createAuditWriter(stream, createManualClock(nowMs));
      const entry = new AuditEntry(request);
      entry.recordClaims(claims);
      entry.recordIssued({});
      entry.requestedProfile = 'profile://organization/acme/pipeline/p/widget/profile/default';
      entry.matches = [];
      entry.token = {
        vendedRepository: 'https://github.com/acme/widget',
        hashedToken: 'aGFzaA==',
        repositories: ['widget'],
        permissions: ['contents:read', 'metadata:read'],
        expiresAtMs: nowMs + 3_600_000,
      };
      write(entry, 200);

      expect(lines).toHaveLength(1);
      expect(lines[0]?.endsWith('\n')).toBe(true);
      expect(JSON.parse(lines[0] ?? '')).toEqual({
        level: 30,
        time: '2026-11-23T18:00:00.000Z',
        msg: 'audit_event',
        type: 'audit',
        requestId: 'req-7',
        outcome: 'issued',
        request: { method: 'POST', path: '/token', status: 200, sourceIP: '10.0.0.1:5123', userAgent: 'curl/8' },
        pipeline: {
          organizationSlug: 'acme',
          pipelineSlug: 'widget',
          jobID: claims.jobId,
          buildNumber: 42,
          buildBranch: 'main',
        },
        authorization: {
          authorized: true,
          subject: claims.subject,
          issuer: 'https://agent.buildkite.com',
          audience: ['app-token-issuer'],
          expiry: new Date(claims.expiresAtSecs * 1000).toISOString(),
          expiryRemaining: claims.expiresAtSecs * 1000 - nowMs,
        },
        token: {
          requestedProfile: 'profile://organization/acme/pipeline/p/widget/profile/default',
          vendedRepository: 'https://github.com/acme/widget',
          hashedToken: 'aGFzaA==',
          repositories: ['widget'],
          permissions: ['contents:read', 'metadata:read'],
          matches: [],
          expiry: '2026-11-23T19:00:00.000Z',
          expiryRemaining: 3_600_000,
        },
      });
    });
  });

  describe('when the caller never authenticated', () => {
    it('records authorized false, no pipeline group and the error', () => {
      const { stream, lines } = capture();
      const entry = new AuditEntry(request);
      entry.recordError('JWT authorization failure: token expired');
      createAuditWriter(stream, createManualClock(nowMs))(entry, 401);
      const record = JSON.parse(lines[0] ?? '') as Record<string, unknown>;
      expect(record).toMatchObject({
        msg: 'audit_event',
        type: 'audit',
        outcome: 'denied',
        authorization: { authorized: false },
        token: {},
        error: 'JWT authorization failure: token expired',
      });
      expect(record).not.toHaveProperty('pipeline');
      expect(record.authorization).toEqual({ authorized: false });
    });
  });

  describe('when several errors are recorded', () => {
    it('keeps the first, the cause', () => {
      const entry = new AuditEntry(request);
      entry.recordError('buildkite refused: pipeline acme/widget not found');
      entry.recordError('vendor failure: buildkite refused: pipeline acme/widget not found');
      expect(entry.render(403, nowMs)).toMatchObject({ error: 'buildkite refused: pipeline acme/widget not found' });
    });
  });

  describe('when records are written one after another', () => {
    it('writes each on its own line, with the clock’s time', () => {
      const { stream, lines } = capture();
      const clock = createManualClock(nowMs);
      const write = createAuditWriter(stream, clock);
      write(new AuditEntry(request), 200);
      clock.advanceMs(1500);
      write(new AuditEntry({ ...request, requestId: 'req-8' }), 200);
      expect(lines.map((line) => JSON.parse(line) as Record<string, unknown>)).toEqual([
        expect.objectContaining({ requestId: 'req-7', time: '2026-11-23T18:00:00.000Z' }),
        expect.objectContaining({ requestId: 'req-8', time: '2026-11-23T18:00:01.500Z' }),
      ]);
    });
  });
});
