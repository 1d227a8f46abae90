import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalFleet, untilHealthy, type LocalFleet } from './local-fleet.js';

let fleet: LocalFleet;
beforeAll(async () => {
  fleet = await startLocalFleet();
  await Promise.all(['oidc-issuer', 'buildkite', 'github', 'bridge-1', 'bridge-2'].map((name) => untilHealthy(fleet, name)));
}, 60_000);
afterAll(async () => {
  await fleet.close();
});

/** What the walk-through in docs/container.md does with curl. */
async function requestToken(): Promise<string> {
  const audience = encodeURIComponent(fleet.env('bridge-1')['JWT_AUDIENCE'] ?? '');
  const response = await fetch(`${fleet.url('oidc-issuer')}/request-token?audience=${audience}`);
  expect(response.status).toBe(200);
  return (await response.text()).trim();
}

async function postToken(bridge: string, oidc: string) {
  const response = await fetch(`${fleet.url(bridge)}/token`, { method: 'POST', headers: { authorization: `Bearer ${oidc}` } });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

describe('the compose fleet, run from its own commands and environment', () => {
  it('brings every service to healthy, the bridges through their readiness healthchecks', async () => {
    for (const name of ['bridge-1', 'bridge-2']) expect(await fleet.healthcheck(name)).toBe(0);
  });

  it('hands out OIDC tokens whose issuer is exactly the bridges’ JWT_ISSUER_URL', async () => {
    expect(decodeJwt(await requestToken()).iss).toBe(fleet.env('bridge-1')['JWT_ISSUER_URL']);
  });

  it('vends on bridge-1, and bridge-2 answers with the same token from the shared Valkey', async () => {
    const oidc = await requestToken();
    const first = await postToken('bridge-1', oidc);
    const second = await postToken('bridge-2', oidc);

    expect(first).toMatchObject({
      status: 200,
      body: { organizationSlug: 'acme', repositoryUrl: 'https://github.com/acme/widget.git', token: expect.stringMatching(/^ghs_/) },
    });
    // The GitHub stand-in mints a random token each time: the same one means bridge-2 read it from Valkey.
    expect(second).toEqual(first);
    const metrics = await fetch(`${fleet.metricsUrl('bridge-2')}/metrics`).then((response) => response.text());
    expect(metrics).toMatch(/^token_bridge_token_cache_results_total\{tier="valkey",result="hit"\} 1$/m);
  });
});
