import { afterEach, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../support/harness.js';
import { postToken } from '../support/requests.js';

const profiles = `
organization:
  profiles:
    - name: quarterly-payroll-export
      match: [{ claim: build_branch, value: release }]
      repositories: [payroll]
      permissions: ["contents:read"]
pipeline:
  profiles:
    - name: hotfix-deployer
      match: [{ claim: build_branch, value: release }]
      permissions: ["contents:write"]
`;
const secretNames = ['quarterly-payroll-export', 'hotfix-deployer'];

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

/** Everything a caller without a token can ask the vending port, whatever it guesses. */
const unauthenticatedRequests = [
  { method: 'GET', url: '/metrics' },
  { method: 'HEAD', url: '/metrics' },
  { method: 'POST', url: '/metrics' },
  { method: 'GET', url: '/healthcheck' },
  { method: 'GET', url: '/livez' },
  { method: 'GET', url: '/organization/token/quarterly-payroll-export' },
  { method: 'POST', url: '/organization/token/quarterly-payroll-export' },
  { method: 'POST', url: '/token/hotfix-deployer' },
  { method: 'POST', url: '/git-credentials/hotfix-deployer' },
  { method: 'POST', url: '/token/repo:hotfix-deployer', headers: { authorization: 'Bearer not.a.jwt' } },
  { method: 'POST', url: '/organization/token/org:quarterly-payroll-export%zz' },
  { method: 'GET', url: '/profiles' },
  { method: 'GET', url: '/debug/vars' },
  { method: 'GET', url: '/' },
] as const;

describe('a caller without a token on the vending port', () => {
  it('learns no profile name, outcome or reason from any answer, after those profiles were used', async () => {
    h = await startHarness({ profiles });
    // Denials and issues under the named profiles, so metrics and caches hold their names.
    const denied = await h.token({ build_branch: 'main' });
    expect((await postToken(h.app, '/organization/token/quarterly-payroll-export', denied)).statusCode).toBe(403);
    expect((await postToken(h.app, '/token/hotfix-deployer', denied)).statusCode).toBe(403);
    expect((await postToken(h.app, '/token/hotfix-deployer', await h.token({ build_branch: 'release' }))).statusCode).toBe(200);
    expect((await h.metrics.inject({ method: 'GET', url: '/metrics' })).body).toContain('hotfix-deployer');

    for (const request of unauthenticatedRequests) {
      const response = await h.app.inject(request);
      const visible = `${response.statusCode} ${JSON.stringify(response.headers)} ${response.body}`;
      for (const name of secretNames) expect(visible, `${request.method} ${request.url}`).not.toContain(name);
    }
    expect((await h.app.inject({ method: 'GET', url: '/metrics' })).statusCode).toBe(404);
  });
});
