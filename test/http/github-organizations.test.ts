import { afterEach, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../support/harness.js';
import { credentialInput, postCredentials, postToken } from '../support/requests.js';

let h: Harness;
afterEach(async () => h.close());

/**
 * The stand-ins' accounts: `acme` (the default installation, 5678), `acme-labs` (6789,
 * discovered), `acme-oss` (7000, pinned), `solo-dev` (a user, 8000, discovered) and
 * `not-installed` (listed, no installation). `evilcorp` is served by nobody.
 */
async function startOrganizations(env: Record<string, string> = { GITHUB_ORGANIZATIONS: 'acme-labs, acme-oss=7000,solo-dev,not-installed' }) {
  h = await startHarness({
    env,
    world: { installations: [{ id: '7000', account: 'acme-oss' }, { id: '8000', account: 'solo-dev', accountType: 'User' }] },
  });
  const pipelines: Record<string, string> = {
    rocket: 'https://github.com/acme-labs/rocket.git',
    gizmo: 'git@github.com:acme-oss/gizmo.git',
    dotfiles: 'https://github.com/Solo-Dev/dotfiles.git',
    orphan: 'https://github.com/not-installed/orphan.git',
    evil: 'https://github.com/evilcorp/private-plugin.git',
  };
  for (const [slug, url] of Object.entries(pipelines)) h.world.buildkite.setPipeline('acme', slug, url);
  return h;
}

const tokenOf = (pipeline: string) => h.token({ pipeline_slug: pipeline, pipeline_id: `id-${pipeline}` });
const mintedInstallations = () => h.world.github.mints.map((mint) => h.world.github.installationOf(mint.token));
const discoveries = () => h.world.github.discoveryRequests;

describe('pipelines building repositories of several GitHub organizations', () => {
  it("mints a default-organization pipeline's token on the default installation", async () => {
    await startOrganizations();
    const response = await postToken(h.app, '/token', await h.token());

    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ repositoryUrl: 'https://github.com/acme/widget.git', repositories: { names: ['widget'] } });
    expect(mintedInstallations()).toEqual(['5678']);
    expect(h.audit.lines.at(-1)).toMatchObject({ outcome: 'issued', token: { installationAccount: 'acme' } });
  });

  it("mints a discovered organization's tokens on its installation, with one discovery call however many requests follow", async () => {
    await startOrganizations();
    h.world.buildkite.setPipeline('acme', 'launchpad-2', 'https://github.com/ACME-LABS/launchpad-2.git');
    const first = await Promise.all(['launchpad', 'rocket', 'launchpad'].map(async (pipeline) => postToken(h.app, '/token', await tokenOf(pipeline))));
    const later = await postToken(h.app, '/token', await tokenOf('launchpad-2'));

    expect([...first, later].map((response) => response.statusCode)).toEqual([200, 200, 200, 200]);
    expect(first[1]?.json()).toMatchObject({ repositoryUrl: 'https://github.com/acme-labs/rocket.git', repositories: { names: ['rocket'] } });
    expect(mintedInstallations()).toEqual(['6789', '6789', '6789']);
    expect(discoveries()).toEqual({ 'app-installation': 1, 'org-installation': 1, 'user-installation': 0 });
    expect(h.audit.lines.map((line) => line.token)).toEqual(
      [0, 1, 2, 3].map(() => expect.objectContaining({ installationAccount: 'acme-labs' })),
    );
  });

  it("mints a pinned organization's token on its installation without any discovery call", async () => {
    await startOrganizations();
    const response = await postToken(h.app, '/token', await tokenOf('gizmo'));

    expect(response.json()).toMatchObject({ repositoryUrl: 'https://github.com/acme-oss/gizmo.git', repositories: { names: ['gizmo'] } });
    expect(mintedInstallations()).toEqual(['7000']);
    expect(discoveries()).toEqual({ 'app-installation': 1, 'org-installation': 0, 'user-installation': 0 });
  });

  it("finds a user account's installation through /users after /orgs answers 404", async () => {
    await startOrganizations();
    const response = await postToken(h.app, '/token', await tokenOf('dotfiles'));

    expect(response.statusCode).toBe(200);
    expect(mintedInstallations()).toEqual(['8000']);
    expect(discoveries()).toEqual({ 'app-installation': 1, 'org-installation': 1, 'user-installation': 1 });
    expect(h.audit.lines.at(-1)).toMatchObject({ token: { installationAccount: 'solo-dev' } });
  });

  describe('when the owner is not served', () => {
    it('refuses /token with 403 and no GitHub call, the audit record naming the owner', async () => {
      await startOrganizations();
      const response = await postToken(h.app, '/token', await tokenOf('evil'));

      expect({ status: response.statusCode, body: response.json() }).toEqual({ status: 403, body: { error: 'Forbidden' } });
      expect(h.world.github.requests).toBe(0);
      expect(discoveries()).toEqual({ 'app-installation': 1, 'org-installation': 0, 'user-installation': 0 });
      expect(h.audit.lines.at(-1)).toMatchObject({
        outcome: 'denied',
        error: 'vendor failure: repository owner refused: owner "evilcorp" is not an account this bridge serves',
      });
    });

    it("refuses git credentials for the pipeline's repository with 403 and Chinmina-Denied, and no mint", async () => {
      await startOrganizations();
      const response = await postCredentials(h.app, '/git-credentials', await tokenOf('evil'), credentialInput('evilcorp/private-plugin.git'));

      expect({ status: response.statusCode, denied: response.headers['chinmina-denied'], body: response.body }).toEqual({
        status: 403,
        denied: 'Forbidden',
        body: '',
      });
      expect(h.world.github.requests).toBe(0);
      expect(h.audit.lines.at(-1)).toMatchObject({ outcome: 'denied', error: expect.stringContaining('"evilcorp"') });
    });

    it('refuses a listed account on which the App has no installation, after one discovery', async () => {
      await startOrganizations();
      const responses = [await postToken(h.app, '/token', await tokenOf('orphan')), await postToken(h.app, '/token', await tokenOf('orphan'))];

      expect(responses.map((response) => response.statusCode)).toEqual([403, 403]);
      expect(h.world.github.requests).toBe(0);
      expect(discoveries()).toEqual({ 'app-installation': 1, 'org-installation': 1, 'user-installation': 1 });
      expect(h.audit.lines.at(-1)).toMatchObject({
        error: 'vendor failure: repository owner refused: the App has no installation on the account "not-installed"',
      });
    });
  });

  describe('without GITHUB_ORGANIZATIONS', () => {
    it("serves the default installation's account only", async () => {
      await startOrganizations({});
      const served = await postToken(h.app, '/token', await h.token());
      const refused = await Promise.all(['launchpad', 'gizmo'].map(async (pipeline) => postToken(h.app, '/token', await tokenOf(pipeline))));

      expect([served, ...refused].map((response) => response.statusCode)).toEqual([200, 403, 403]);
      expect(mintedInstallations()).toEqual(['5678']);
      expect(discoveries()).toEqual({ 'app-installation': 1, 'org-installation': 0, 'user-installation': 0 });
    });
  });

  it('never writes a token into an audit record', async () => {
    await startOrganizations();
    for (const pipeline of ['widget', 'launchpad', 'gizmo', 'evil']) await postToken(h.app, '/token', await tokenOf(pipeline));

    expect(h.world.github.mints).toHaveLength(3);
    for (const mint of h.world.github.mints) expect(h.audit.raw()).not.toContain(mint.token);
  });
});
