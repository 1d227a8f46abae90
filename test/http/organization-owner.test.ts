import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../support/harness.js';
import { credentialInput, postCredentials, postToken } from '../support/requests.js';

const profile = (name: string, owner: string | undefined, repository: string) =>
  `    - name: ${name}\n${owner === undefined ? '' : `      owner: ${owner}\n`}      repositories: ["${repository}"]\n      permissions: ["contents:read"]\n`;

const profiles = `organization:\n  profiles:\n${[
  profile('labs-plugins', 'acme-labs', 'private-plugin'),
  profile('plugins', undefined, 'private-plugin'),
  profile('labs-everything', 'ACME-LABS', '{{all-repositories}}'),
  profile('labs-scoped', 'acme-labs', '{{caller-scoped-repository}}'),
  profile('foreign', 'evilcorp', 'private-plugin'),
  profile('orphaned', 'not-installed', 'private-plugin'),
].join('')}`;

let h: Harness;
beforeEach(async () => {
  // The stand-in's default installation is on acme (5678); acme-labs (6789) is discovered.
  h = await startHarness({ profiles, env: { GITHUB_ORGANIZATIONS: 'acme-labs,not-installed' } });
});
afterEach(async () => h.close());

const mintedInstallations = () => h.world.github.mints.map((mint) => h.world.github.installationOf(mint.token));
const credentials = async (profileName: string, path: string) =>
  postCredentials(h.app, `/organization/git-credentials/${profileName}`, await h.token(), credentialInput(path));

describe('an organization profile with an owner', () => {
  it("mints on the owner's installation, keeping the response and the cache key of a profile without owner", async () => {
    const response = await postToken(h.app, '/organization/token/labs-plugins', await h.token());

    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ profile: 'org:labs-plugins', repositoryUrl: '', repositories: { names: ['private-plugin'] } });
    expect(mintedInstallations()).toEqual(['6789']);
    expect(h.world.github.mints[0]?.repositories).toEqual(['private-plugin']);
    expect(h.audit.lines.at(-1)).toMatchObject({
      outcome: 'issued',
      token: { requestedProfile: 'profile://organization/acme/profile/labs-plugins', installationAccount: 'acme-labs' },
    });
    expect(h.audit.raw()).not.toContain(response.json<{ token: string }>().token);
  });

  it("gives git credentials for the owner's repository only, not for the same name under another owner", async () => {
    const foreign = [await credentials('labs-plugins', 'acme/private-plugin.git'), await credentials('labs-plugins', 'evilcorp/private-plugin.git')];
    expect(foreign.map((response) => [response.statusCode, response.body])).toEqual([
      [200, ''],
      [200, ''],
    ]);
    expect(h.world.github.requests).toBe(0);

    const own = await credentials('labs-plugins', 'Acme-Labs/private-plugin.git');
    const foreignAfterMint = await credentials('labs-plugins', 'evilcorp/private-plugin.git');

    expect(own.body).toContain(`password=${h.world.github.mints[0]?.token}\n`);
    expect(foreignAfterMint.body).toBe('');
    expect(mintedInstallations()).toEqual(['6789']);
    expect(h.audit.lines.map((line) => line.outcome)).toEqual(['unmatched', 'unmatched', 'issued', 'unmatched']);
  });

  it("scopes {{all-repositories}} and {{caller-scoped-repository}} to the owner's repositories", async () => {
    const answers = [
      await credentials('labs-everything', 'acme/widget.git'),
      await credentials('labs-scoped', 'evilcorp/private-plugin.git'),
      await credentials('labs-everything', 'acme-labs/rocket.git'),
      await credentials('labs-scoped', 'acme-labs/rocket.git'),
    ];

    expect(answers.map((response) => response.body === '')).toEqual([true, true, false, false]);
    expect(mintedInstallations()).toEqual(['6789', '6789']);
    expect(h.world.github.mints.map((mint) => mint.repositories)).toEqual([undefined, ['rocket']]);
  });

  describe('when the owner is not served', () => {
    it('makes the profile unavailable (404) without asking GitHub, the audit record giving the reason', async () => {
      const response = await postToken(h.app, '/organization/token/foreign', await h.token());

      expect({ status: response.statusCode, body: response.json() }).toEqual({ status: 404, body: { error: 'profile unavailable: validation failed' } });
      expect(h.world.github.requests).toBe(0);
      expect(h.world.github.discoveryRequests).toEqual({ 'app-installation': 1, 'org-installation': 0, 'user-installation': 0 });
      expect(h.audit.lines.at(-1)).toMatchObject({
        outcome: 'denied',
        error: 'profile resolution failed: profile "foreign" unavailable: owner "evilcorp" is not an account this bridge serves',
      });
    });

    it('makes the profile unavailable when the App has no installation on the listed owner', async () => {
      const response = await postToken(h.app, '/organization/token/orphaned', await h.token());

      expect(response.statusCode).toBe(404);
      expect(h.world.github.requests).toBe(0);
      expect(h.audit.lines.at(-1)).toMatchObject({ error: expect.stringContaining('the App has no installation on the account "not-installed"') });
    });
  });
});

describe('an organization profile without an owner', () => {
  it("is for the default installation's account: credentials for its repository, none under another owner", async () => {
    const foreign = await credentials('plugins', 'evilcorp/private-plugin.git');
    const own = await credentials('plugins', 'acme/private-plugin.git');

    expect([foreign.body, own.statusCode]).toEqual(['', 200]);
    expect(own.body).toMatch(/^protocol=https\nhost=github.com\npath=acme\/private-plugin.git\n/);
    expect(mintedInstallations()).toEqual(['5678']);
    expect(h.audit.lines.at(-1)).toMatchObject({ token: { installationAccount: 'acme' } });
  });
});
