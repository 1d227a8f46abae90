import { afterEach, describe, expect, it, vi } from 'vitest';
import { startDemoWorld, type DemoWorld } from '../../src/dev/demo-world.js';
import { generateSigningKey } from '../../src/dev/signing-keys.js';
import { startHarness, testAppKey, type Harness } from '../support/harness.js';
import { valueOf } from '../support/prometheus-text.js';
import { postToken } from '../support/requests.js';
import { scrapeMetrics } from '../support/scrape-metrics.js';

const profiles = 'organization:\n  profiles:\n    - name: shared\n      repositories: [plugin]\n      permissions: ["contents:read"]\n';

let h: Harness | undefined;
let world: DemoWorld | undefined;
afterEach(async () => {
  await h?.close();
  await world?.close();
  h = undefined;
  world = undefined;
});

/** A world whose second organization (acme-labs, installation 6789) holds the profile file. */
async function labsWorld(): Promise<DemoWorld> {
  world = await startDemoWorld({ keys: { appKey: await testAppKey(), issuerKey: await generateSigningKey('profile-source') } });
  world.github.setFile('acme-labs', 'ci-config', 'profiles.yaml', profiles);
  return world;
}

describe('at start-up, while GitHub cannot say whose the default installation is', () => {
  it('stays starting (503) without failing, and turns ready once GitHub answers', async () => {
    const started = await labsWorld();
    started.github.failDiscoveryNext(503);
    h = await startHarness({ sharedWorld: started, notReady: true });
    void h.background.ready.then(() => h?.readiness.markReady());

    expect((await h.app.inject({ method: 'GET', url: '/healthcheck' })).statusCode).toBe(503);
    expect((await postToken(h.app, '/token', await h.token())).statusCode).toBe(503);
    await h.background.ready;
    expect(h.logs.lines.map((line) => line.msg)).toEqual(
      expect.arrayContaining(['default installation lookup failed', 'default installation account']),
    );
    expect((await postToken(h.app, '/token', await h.token())).statusCode).toBe(200);
    expect(h.world.github.discoveryRequests['app-installation']).toBe(2);
  });
});

describe('GITHUB_ORG_PROFILE in a repository of another served organization', () => {
  it("reads the file through that organization's installation", async () => {
    h = await startHarness({
      sharedWorld: await labsWorld(),
      env: { GITHUB_ORGANIZATIONS: 'acme-labs', GITHUB_ORG_PROFILE: 'acme-labs:ci-config:profiles.yaml' },
    });

    expect((await postToken(h.app, '/organization/token/shared', await h.token())).statusCode).toBe(200);
    const [profileRead] = h.world.github.mints;
    expect(h.world.github.installationOf(profileRead?.token ?? '')).toBe('6789');
    expect(h.world.github.contentRequests).toBeGreaterThan(0);
    const { families } = await scrapeMetrics(h.metrics);
    expect(valueOf(families, 'token_bridge_github_rate_limit_remaining', { credential: 'installation', account: 'acme-labs' })).toBe(
      5000 - h.world.github.contentRequests,
    );
  });

  it('never loads the file, and says why, while its owner is not served', async () => {
    h = await startHarness({ sharedWorld: await labsWorld(), env: { GITHUB_ORG_PROFILE: 'acme-labs:ci-config:profiles.yaml' }, notReady: true });

    await vi.waitFor(() =>
      expect(h?.logs.lines).toContainEqual(
        expect.objectContaining({
          msg: 'profile refresh failed',
          err: expect.objectContaining({ code: 'owner_not_served', message: 'repository owner refused: owner "acme-labs" is not an account this bridge serves' }),
        }),
      ),
    );
    expect(h.world.github.mints).toEqual([]);
    expect(h.world.github.contentRequests).toBe(0);
    expect((await h.app.inject({ method: 'GET', url: '/healthcheck' })).statusCode).toBe(503);
  });
});
