import { afterEach, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../support/harness.js';
import { credentialInput, postCredentials, postToken } from '../support/requests.js';

let h: Harness;
afterEach(async () => h.close());

/** A harness whose GitHub is an Enterprise Server at `<host>/api/v3`, git host = that host. */
async function startEnterprise(): Promise<{ gitHost: string }> {
  h = await startHarness({ world: { githubPathPrefix: '/api/v3' }, env: { GITHUB_GIT_HOST: '' } });
  const gitHost = new URL(h.world.github.url).host;
  h.world.buildkite.setPipeline('acme', 'widget', `git@${new URL(h.world.github.url).hostname}:acme/widget.git`);
  return { gitHost };
}

describe('with GITHUB_API_URL pointing at GitHub Enterprise Server', () => {
  it('mints through the /api/v3 path and translates SSH URLs of the enterprise host', async () => {
    const { gitHost } = await startEnterprise();
    const response = await postToken(h.app, '/token', await h.token());

    expect(h.config.github.gitHost).toBe(gitHost);
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ repositoryUrl: `https://${gitHost}/acme/widget.git` });
    expect(h.world.github.mints).toHaveLength(1);
  });

  it('gives git credentials for the enterprise host and none for github.com', async () => {
    const { gitHost } = await startEnterprise();
    const token = await h.token();

    const enterprise = await postCredentials(h.app, '/git-credentials', token, credentialInput('acme/widget.git', gitHost));
    const dotcom = await postCredentials(h.app, '/git-credentials', token, credentialInput('acme/widget.git'));

    expect(enterprise.body).toMatch(new RegExp(`^protocol=https\\nhost=${gitHost}\\npath=acme/widget.git\\n`));
    expect({ status: dotcom.statusCode, body: dotcom.body }).toEqual({ status: 200, body: '' });
  });
});
