import { afterEach, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../support/harness.js';
import { credentialInput, postCredentials, postToken } from '../support/requests.js';

let h: Harness;
afterEach(async () => h.close());

describe('the audit record', () => {
  it('is one JSON line per vending request, never containing the token, keyed by X-Request-Id', async () => {
    h = await startHarness();
    const oidc = await h.token();
    const responses = [
      await postToken(h.app, '/token', oidc),
      await postCredentials(h.app, '/git-credentials', oidc, credentialInput('acme/widget.git')),
      await postToken(h.app, '/token/nope', oidc),
      await postToken(h.app, '/token', undefined),
    ];
    await h.app.inject({ method: 'GET', url: '/healthcheck' });

    expect(h.audit.lines.map((line) => line.requestId)).toEqual(responses.map((r) => r.headers['x-request-id']));
    expect(h.audit.lines.map((line) => line.outcome)).toEqual(['issued', 'issued', 'denied', 'denied']);
    const token = h.world.github.mints[0]?.token ?? 'missing';
    expect(h.audit.raw()).not.toContain(token);
    expect(h.logs.raw()).not.toContain(token);
    expect(h.audit.raw()).not.toContain(oidc);
  });

  it('records the caller, the profile URN and the vended token details', async () => {
    h = await startHarness();
    await postToken(h.app, '/token', await h.token());

    const mint = h.world.github.mints[0];
    expect(h.audit.lines[0]).toMatchObject({
      msg: 'audit_event',
      type: 'audit',
      outcome: 'issued',
      request: { method: 'POST', path: '/token', status: 200, userAgent: 'lightMyRequest' },
      pipeline: { organizationSlug: 'acme', pipelineSlug: 'widget', buildNumber: 42, buildBranch: 'main' },
      authorization: { authorized: true, audience: ['chinmina:acme'], issuer: h.world.issuer.url },
      token: {
        requestedProfile: 'profile://organization/acme/pipeline/0190a1b2-0000-7000-8000-000000000001/widget/profile/default',
        vendedRepository: 'https://github.com/acme/widget.git',
        repositories: ['widget'],
        permissions: ['contents:read', 'metadata:read'],
        matches: [],
        expiry: new Date(mint?.expiresAt ?? '').toISOString(),
      },
    });
  });

  it('takes sourceIP from X-Forwarded-For only when SERVER_TRUST_PROXY is set', async () => {
    h = await startHarness({ env: { SERVER_TRUST_PROXY: 'true' } });
    await h.app.inject({
      method: 'POST',
      url: '/token',
      headers: { authorization: `Bearer ${await h.token()}`, 'x-forwarded-for': '203.0.113.9' },
      remoteAddress: '10.0.0.1',
    });

    expect(h.audit.lines[0]).toMatchObject({ request: { sourceIP: '203.0.113.9' } });
  });

  it('ignores X-Forwarded-For by default', async () => {
    h = await startHarness();
    await h.app.inject({
      method: 'POST',
      url: '/token',
      headers: { authorization: `Bearer ${await h.token()}`, 'x-forwarded-for': '203.0.113.9' },
      remoteAddress: '10.0.0.1',
    });

    expect(h.audit.lines[0]).toMatchObject({ request: { sourceIP: '10.0.0.1' } });
  });

  it('is not written for unknown paths or wrong methods', async () => {
    h = await startHarness();
    await h.app.inject({ method: 'POST', url: '/nowhere' });
    await h.app.inject({ method: 'GET', url: '/token' });

    expect(h.audit.lines).toEqual([]);
  });
});
