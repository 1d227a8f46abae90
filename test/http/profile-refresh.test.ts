import { afterEach, describe, expect, it, vi } from 'vitest';
import { startHarness, type Harness } from '../support/harness.js';
import { postToken } from '../support/requests.js';
import { profilesYaml } from './profile-fixture.js';

let h: Harness;
afterEach(async () => h.close());

const permissionsOf = async (url: string) =>
  (await postToken(h.app, url, await h.token())).json<{ permissions?: string[] }>().permissions;

describe('the profile file refresh', () => {
  it('serves an edit within one refresh interval, minting anew under the new digest', async () => {
    h = await startHarness({ profiles: profilesYaml });
    expect(await permissionsOf('/token')).toEqual(['contents:read', 'statuses:write', 'metadata:read']);

    await h.writeProfiles('pipeline:\n  defaults:\n    permissions: ["contents:read", "checks:write"]\n');

    await vi.waitFor(async () => expect(await permissionsOf('/token')).toEqual(['contents:read', 'checks:write', 'metadata:read']), {
      timeout: 5000,
      interval: 200,
    });
    expect(h.world.github.mints).toHaveLength(2);
  });

  it('keeps serving the last good generation when an edit does not parse', async () => {
    h = await startHarness({ profiles: profilesYaml });
    await h.writeProfiles('pipeline: [unclosed\n');
    await new Promise((resolve) => setTimeout(resolve, 1500));

    expect(await permissionsOf('/token')).toEqual(['contents:read', 'statuses:write', 'metadata:read']);
    expect(h.logs.lines.some((line) => line.msg === 'profile refresh failed')).toBe(true);
  });

  it('keeps serving the last good generation when an edit adds an unknown key', async () => {
    h = await startHarness({ profiles: profilesYaml });
    await h.writeProfiles(`${profilesYaml}\norganisation: {}\n`);
    await new Promise((resolve) => setTimeout(resolve, 1500));

    expect((await postToken(h.app, '/organization/token/shared', await h.token())).statusCode).toBe(200);
  });
});

describe('before the first profile load', () => {
  it('answers readiness and vending 503, and becomes ready once the file can be read', async () => {
    h = await startHarness({ profiles: 'pipeline: [unclosed\n', notReady: true });
    void h.background.ready.then(() => h.readiness.markReady(), () => undefined);

    expect((await h.app.inject({ method: 'GET', url: '/healthcheck' })).statusCode).toBe(503);
    expect((await postToken(h.app, '/token', await h.token())).statusCode).toBe(503);

    await h.writeProfiles(profilesYaml);
    await vi.waitFor(async () => expect((await h.app.inject({ method: 'GET', url: '/healthcheck' })).statusCode).toBe(200), {
      timeout: 8000,
      interval: 200,
    });
    expect((await postToken(h.app, '/token', await h.token())).statusCode).toBe(200);
  });
});

describe('with GITHUB_ORG_PROFILE', () => {
  it('reads the file through the contents API with an installation token, and follows edits', async () => {
    h = await startHarness({ githubProfiles: profilesYaml });

    expect((await postToken(h.app, '/organization/token/shared', await h.token())).statusCode).toBe(200);
    expect(h.world.github.contentRequests).toBeGreaterThan(0);
    expect(h.world.github.mints[0]).toMatchObject({ repositories: undefined, permissions: undefined });

    h.world.github.setFile('acme', 'ci-config', 'bridge/profiles.yaml', 'pipeline:\n  defaults:\n    permissions: ["checks:write"]\n');
    await vi.waitFor(async () => expect(await permissionsOf('/token')).toEqual(['checks:write', 'metadata:read']), {
      timeout: 5000,
      interval: 200,
    });
    expect(h.logs.raw()).not.toContain(h.world.github.mints[0]?.token ?? 'none');
  });
});
