import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../support/harness.js';
import { credentialInput, postCredentials, postToken } from '../support/requests.js';
import { profilesYaml } from './profile-fixture.js';

let h: Harness;
beforeEach(async () => {
  h = await startHarness({ profiles: profilesYaml });
});
afterEach(async () => h.close());

const json = (error: string) => `${JSON.stringify({ error })}\n`;

describe('POST /organization/token/{profile}', () => {
  it('vends a fixed list of repositories with an empty repositoryUrl', async () => {
    const response = await postToken(h.app, '/organization/token/shared', await h.token());

    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({
      profile: 'org:shared',
      repositoryUrl: '',
      repositories: { names: ['plugin-a', 'plugin-b'] },
      permissions: ['contents:read', 'metadata:read'],
    });
    expect(h.world.github.mints[0]).toMatchObject({ repositories: ['plugin-a', 'plugin-b'] });
    expect(h.world.buildkite.requests).toBe(0);
  });

  it('sends no repositories to GitHub for {{all-repositories}}', async () => {
    const response = await postToken(h.app, '/organization/token/everything', await h.token());

    expect(response.json()).toMatchObject({ repositories: { wildcard: true } });
    expect(h.world.github.mints[0]?.repositories).toBeUndefined();
  });

  it('shares one token between every pipeline the rules admit', async () => {
    const first = await postToken(h.app, '/organization/token/shared', await h.token());
    const second = await postToken(h.app, '/organization/token/shared', await h.token({ pipeline_slug: 'gadget' }));

    expect(second.json<{ token: string }>().token).toBe(first.json<{ token: string }>().token);
    expect(h.world.github.requests).toBe(1);
  });

  describe('with match rules', () => {
    it.each([['main'], ['master']])('admits branch %s', async (branch) => {
      const response = await postToken(h.app, '/organization/token/release', await h.token({ build_branch: branch }));

      expect(response.statusCode).toBe(200);
    });

    it.each([['not-main'], ['mainline'], ['feature/main']])('refuses branch %s: the pattern is anchored', async (branch) => {
      const response = await postToken(h.app, '/organization/token/release', await h.token({ build_branch: branch }));

      expect({ status: response.statusCode, body: response.body }).toEqual({ status: 403, body: json('Forbidden') });
      expect(h.audit.lines.at(-1)).toMatchObject({
        outcome: 'denied',
        token: { attemptedPatterns: [{ claim: 'build_branch', pattern: 'main|master', value: branch }] },
      });
    });

    it('refuses an unauthorized pipeline right after an authorized one warmed the cache, without GitHub', async () => {
      await postToken(h.app, '/organization/token/release', await h.token());
      const denied = await postToken(h.app, '/organization/token/release', await h.token({ pipeline_slug: 'gadget' }));

      expect(denied.statusCode).toBe(403);
      expect(h.world.github.requests).toBe(1);
    });

    it('matches agent_tag: rules', async () => {
      const tagged = await postToken(h.app, '/organization/token/tagged', await h.token({ 'agent_tag:queue': 'trusted' }));
      const untagged = await postToken(h.app, '/organization/token/tagged', await h.token());

      expect([tagged.statusCode, untagged.statusCode]).toEqual([200, 403]);
    });

    it('refuses a claim value with a newline that a rule uses', async () => {
      const response = await postToken(h.app, '/organization/token/release', await h.token({ build_branch: 'main\nx' }));

      expect(response.statusCode).toBe(403);
    });
  });

  describe('with profile problems', () => {
    it('answers 404 profile unavailable for an invalid profile, with the reason only in the audit record', async () => {
      const response = await postToken(h.app, '/organization/token/broken', await h.token());

      expect({ status: response.statusCode, body: response.body }).toEqual({
        status: 404,
        body: json('profile unavailable: validation failed'),
      });
      expect(String(h.audit.lines.at(-1)?.error)).toContain('job_id');
    });

    it('answers 404 profile unavailable for a name defined twice, rather than merging the two', async () => {
      const response = await postToken(h.app, '/organization/token/twin', await h.token());

      expect(response.body).toBe(json('profile unavailable: validation failed'));
      expect(String(h.audit.lines.at(-1)?.error)).toContain('duplicate profile name: "twin"');
      expect(h.world.github.requests).toBe(0);
    });

    it('answers 404 profile not found for an unknown name', async () => {
      const response = await postToken(h.app, '/organization/token/nope', await h.token());

      expect({ status: response.statusCode, body: response.body }).toEqual({ status: 404, body: json('profile not found') });
    });

    it.each([['/organization/token/repo:shared'], ['/token/org:shared']])('answers 400 for the prefix mismatch %s', async (url) => {
      const response = await postToken(h.app, url, await h.token());

      expect({ status: response.statusCode, body: response.body }).toEqual({ status: 400, body: json('Bad Request') });
    });

    it('answers 404 on /organization/token without a profile', async () => {
      expect((await postToken(h.app, '/organization/token', await h.token())).statusCode).toBe(404);
    });
  });

  describe('with a caller-scoped profile', () => {
    it('vends the repository named by ?repository-scope=', async () => {
      const response = await postToken(h.app, '/organization/token/scoped?repository-scope=my-repo', await h.token());

      expect(response.json()).toMatchObject({ profile: 'org:scoped/my-repo', repositories: { names: ['my-repo'] } });
      expect(h.audit.lines.at(-1)).toMatchObject({
        token: { requestedProfile: 'profile://organization/acme/profile/scoped/repository/my-repo' },
      });
    });

    it('keeps tokens for different scopes apart', async () => {
      const token = await h.token();
      await postToken(h.app, '/organization/token/scoped?repository-scope=one', token);
      await postToken(h.app, '/organization/token/scoped?repository-scope=two', token);

      expect(h.world.github.mints.map((mint) => mint.repositories)).toEqual([['one'], ['two']]);
    });

    it('answers 400 when no scope is given', async () => {
      const response = await postToken(h.app, '/organization/token/scoped', await h.token());

      expect(response.body).toBe(json('repository scope is required for this profile'));
    });

    it('answers 400 when a scope is given to a fixed profile', async () => {
      const response = await postToken(h.app, '/organization/token/shared?repository-scope=plugin-a', await h.token());

      expect(response.body).toBe(json('profile does not accept repository scoping'));
    });

    it.each([['acme/my-repo'], [''], ['my%20repo']])('answers a plain 400 for the scope "%s"', async (scope) => {
      const response = await postToken(h.app, `/organization/token/scoped?repository-scope=${scope}`, await h.token());

      expect({ status: response.statusCode, body: response.body }).toEqual({ status: 400, body: 'Bad Request\n' });
    });

    it('ignores ?repository-scope= on pipeline routes', async () => {
      expect((await postToken(h.app, '/token?repository-scope=acme/x', await h.token())).statusCode).toBe(200);
    });
  });
});

describe('POST /organization/git-credentials/{profile}', () => {
  it('gives credentials for a listed repository, echoing what git asked', async () => {
    const response = await postCredentials(h.app, '/organization/git-credentials/shared', await h.token(), credentialInput('acme/plugin-a.git'));

    expect(response.body).toMatch(/^protocol=https\nhost=github.com\npath=acme\/plugin-a.git\nusername=x-access-token\npassword=ghs_/);
  });

  it('gives no credentials for a repository the list does not cover', async () => {
    const response = await postCredentials(h.app, '/organization/git-credentials/shared', await h.token(), credentialInput('acme/widget.git'));

    expect({ status: response.statusCode, body: response.body }).toEqual({ status: 200, body: '' });
    expect(h.world.github.requests).toBe(0);
  });

  it('scopes a caller-scoped profile to the repository git asks about', async () => {
    const response = await postCredentials(h.app, '/organization/git-credentials/scoped', await h.token(), credentialInput('acme/tool.git'));

    expect(response.statusCode).toBe(200);
    expect(h.world.github.mints[0]?.repositories).toEqual(['tool']);
  });

  it('answers 400 for a caller-scoped profile when the URL names no repository', async () => {
    const response = await postCredentials(h.app, '/organization/git-credentials/scoped', await h.token(), credentialInput('acme'));

    expect(response.statusCode).toBe(400);
    expect(response.headers['chinmina-denied']).toBe('repository scope is required for this profile');
  });
});
