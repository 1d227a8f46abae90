import { afterEach, describe, expect, it } from 'vitest';
import { profilesYaml } from './profile-fixture.js';
import { startHarness, type Harness } from '../support/harness.js';
import { credentialInput, postCredentials } from '../support/requests.js';

let h: Harness;
afterEach(async () => h.close());

describe('git credentials with the pipeline token cached', () => {
  it('answers 200 requests for 200 other repositories with no credentials and no upstream call', async () => {
    h = await startHarness();
    const oidc = await h.token();
    const warm = await postCredentials(h.app, '/git-credentials', oidc, credentialInput('acme/widget.git'));
    expect(warm.body).toContain('password=');
    const calls = () => ({ buildkite: h.world.buildkite.requests, github: h.world.github.requests });
    const before = calls();

    const responses = await Promise.all(
      Array.from({ length: 200 }, (_, index) => postCredentials(h.app, '/git-credentials', oidc, credentialInput(`acme/submodule-${index}.git`))),
    );

    expect(new Set(responses.map((response) => `${response.statusCode} ${response.body}`))).toEqual(new Set(['200 ']));
    expect(calls()).toEqual(before);
    expect(before).toEqual({ buildkite: 1, github: 1 });
    const unmatched = h.audit.lines.slice(1);
    expect(unmatched).toHaveLength(200);
    expect(unmatched.every((line) => line['outcome'] === 'unmatched')).toBe(true);
  });

  it('still runs the match rules first: a job the profile refuses gets 403, not "no credentials"', async () => {
    h = await startHarness({ profiles: profilesYaml });
    const main = await h.token({ build_branch: 'main' });
    await postCredentials(h.app, '/git-credentials/release', main, credentialInput('acme/widget.git'));
    const feature = await h.token({ build_branch: 'feature' });

    const response = await postCredentials(h.app, '/git-credentials/release', feature, credentialInput('acme/other.git'));

    expect(response.statusCode).toBe(403);
    expect(h.audit.lines.at(-1)).toMatchObject({ outcome: 'denied', error: expect.stringContaining('match conditions not met') as unknown });
  });
});
