import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../support/harness.js';
import { credentialInput, postCredentials, postToken } from '../support/requests.js';
import { profilesYaml } from './profile-fixture.js';

let h: Harness;
beforeEach(async () => {
  h = await startHarness({ profiles: profilesYaml });
});
afterEach(async () => h.close());

describe('pipeline profiles from the profile file', () => {
  it('gives /token the default permissions of pipeline.defaults, with metadata:read', async () => {
    const response = await postToken(h.app, '/token', await h.token());

    expect(response.json()).toMatchObject({ profile: 'repo:default', permissions: ['contents:read', 'statuses:write', 'metadata:read'] });
    expect(h.world.github.mints[0]?.permissions).toEqual({ contents: 'read', statuses: 'write', metadata: 'read' });
  });

  it('vends a named profile to a pipeline its rules admit, for the pipeline repository', async () => {
    const response = await postToken(h.app, '/token/release', await h.token());

    expect(response.json()).toMatchObject({ profile: 'repo:release', repositories: { names: ['widget'] }, permissions: ['contents:write', 'metadata:read'] });
  });

  it('refuses it to a branch the rules do not admit, also on git-credentials', async () => {
    const token = await h.token({ build_branch: 'feature' });
    const json = await postToken(h.app, '/token/release', token);
    const git = await postCredentials(h.app, '/git-credentials/release', token, credentialInput('acme/widget.git'));

    expect(json.statusCode).toBe(403);
    expect({ status: git.statusCode, denied: git.headers['chinmina-denied'] }).toEqual({ status: 403, denied: 'Forbidden' });
    expect(h.world.github.requests).toBe(0);
  });

  it('answers 404 for a pipeline profile the file does not define', async () => {
    const response = await postToken(h.app, '/token/shared', await h.token());

    expect(response.statusCode).toBe(404);
  });
});

describe('git falling through from pipeline:default to an organization profile', () => {
  it('gets nothing from the pipeline helper and the plugin repository from the organization one', async () => {
    const token = await h.token();
    const input = credentialInput('acme/plugin-b.git');
    const pipeline = await postCredentials(h.app, '/git-credentials/default', token, input);
    const organization = await postCredentials(h.app, '/organization/git-credentials/shared', token, input);

    expect(pipeline.body).toBe('');
    expect(organization.body).toContain('path=acme/plugin-b.git\nusername=x-access-token\n');
  });
});
