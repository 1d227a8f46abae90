import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { AuditEntry } from '../../src/audit/audit-entry.js';
import { createAuditWriter } from '../../src/audit/audit-writer.js';
import { buildClaims } from '../../src/dev/issued-claims.js';
import { parseBuildkiteClaims } from '../../src/oidc/buildkite-claims.js';
import { captureLines } from '../support/capture-stream.js';
import { startHarness, type Harness } from '../support/harness.js';
import { credentialInput, postCredentials, postToken } from '../support/requests.js';

const page = readFileSync(new URL('../../docs/audit-log.md', import.meta.url), 'utf8');

/** The first cell of every row of the page's "Fields" table. */
const documentedFields = (() => {
  const section = page.split('## Fields')[1]?.split('\n## ')[0] ?? '';
  return new Set([...section.matchAll(/^\| `([A-Za-z.[\]]+)` \|/gm)].map((match) => match[1]));
})();

/** Every key path of a JSON value: `a`, `a.b`, and `a[].b` for the objects in a list. */
function keyPaths(value: unknown, prefix = ''): string[] {
  if (Array.isArray(value)) return value.flatMap((item) => keyPaths(item, `${prefix}[]`));
  if (typeof value !== 'object' || value === null) return [];
  return Object.entries(value).flatMap(([key, child]) => {
    const path = prefix === '' ? key : `${prefix}.${key}`;
    return [path, ...keyPaths(child, path)];
  });
}

const pathsOf = (records: readonly unknown[]) => new Set(records.flatMap((record) => keyPaths(record)));

/** An entry with every field the record can carry filled in. */
function fullyPopulatedEntry(): AuditEntry {
  const nowSecs = 1_795_000_000;
  const claims = parseBuildkiteClaims(
    buildClaims({ issuer: 'https://agent.buildkite.com', audience: 'chinmina:acme', nowSecs, lifetimeSecs: 300 }),
  );
  if (!claims.ok) throw new Error(claims.reason);
  const entry = new AuditEntry({ requestId: 'r', method: 'POST', path: '/token', sourceIP: '10.0.0.1:1', userAgent: 'curl' });
  entry.recordIssued({});
  entry.recordClaims(claims.claims);
  entry.recordError('an error');
  entry.requestedProfile = 'profile://organization/acme/profile/p';
  entry.requestedRepository = 'https://github.com/acme/widget';
  entry.matches = [{ claim: 'build_branch', value: 'main' }];
  entry.attemptedPatterns = [{ claim: 'build_branch', pattern: 'main', value: 'x' }];
  entry.token = {
    vendedRepository: 'https://github.com/acme/widget',
    installationAccount: 'acme',
    hashedToken: 'hash',
    repositories: ['widget'],
    permissions: ['contents:read'],
    expiresAtMs: (nowSecs + 3600) * 1000,
  };
  return entry;
}

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

describe('the audit record page', () => {
  it('lists exactly the fields a fully filled-in record has', () => {
    const audit = captureLines();
    createAuditWriter(audit.stream, { nowMs: () => 1_795_000_000_000 })(fullyPopulatedEntry(), 200);

    expect([...documentedFields].sort()).toEqual([...pathsOf(audit.lines)].sort());
  });

  it('shows one example of each outcome, using documented fields only', () => {
    const examples = [...page.matchAll(/```json\n(.+)\n```/g)].map((match) => JSON.parse(match[1] ?? '') as { outcome: string });

    expect(new Set(examples.map((example) => example.outcome))).toEqual(new Set(['issued', 'unmatched', 'denied', 'failed']));
    for (const path of pathsOf(examples)) expect(documentedFields).toContain(path);
  });

  it('documents every field of real records of every outcome', async () => {
    h = await startHarness({
      profiles: 'pipeline:\n  profiles:\n    - name: release\n      match: [{claim: build_branch, value: main}]\n      permissions: ["contents:write"]\n',
    });
    await postToken(h.app, '/token/release', await h.token());
    await postCredentials(h.app, '/git-credentials', await h.token(), credentialInput('acme/other.git'));
    await postToken(h.app, '/token/release', await h.token({ build_branch: 'feature/x' }));
    h.world.github.failNext(401);
    await postToken(h.app, '/token', await h.token());
    await postToken(h.app, '/token', 'not-a-jwt');

    expect(h.audit.lines.map((line) => line.outcome)).toEqual(['issued', 'unmatched', 'denied', 'failed', 'denied']);
    for (const path of pathsOf(h.audit.lines)) expect(documentedFields).toContain(path);
  });
});
