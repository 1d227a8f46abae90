import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startFakeBuildkite, type FakeBuildkite } from '../../src/dev/fake-buildkite.js';

const apiToken = 'bkua_test_token';

describe('fake Buildkite', () => {
  let buildkite: FakeBuildkite;
  /** `token: null` sends no Authorization header. */
  const lookup = (path: string, token: string | null = apiToken): Promise<Response> =>
    fetch(`${buildkite.url}/v2/organizations/${path}`, {
      headers: token === null ? {} : { authorization: `Bearer ${token}` },
    });

  beforeEach(async () => {
    buildkite = await startFakeBuildkite({
      apiToken,
      pipelines: { 'acme/widget': { repository: 'https://github.com/acme/widget.git' } },
    });
  });
  afterEach(async () => {
    await buildkite.close();
  });

  describe('when a known pipeline is looked up with the API token', () => {
    it('answers 200 with its repository', async () => {
      const response = await lookup('acme/pipelines/widget');
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({
        id: expect.any(String),
        slug: 'widget',
        name: 'widget',
        repository: 'https://github.com/acme/widget.git',
      });
      expect(buildkite.requests).toBe(1);
    });
  });

  describe('when the token is missing or wrong', () => {
    it('answers 401 Authentication required', async () => {
      for (const token of [null, 'wrong']) {
        const response = await lookup('acme/pipelines/widget', token);
        expect(response.status).toBe(401);
        expect(await response.json()).toEqual({ message: 'Authentication required' });
      }
      expect(buildkite.requests).toBe(2);
    });
  });

  describe('when the pipeline is unknown', () => {
    it('answers 404 No pipeline found', async () => {
      const response = await lookup('acme/pipelines/gadget');
      expect(response.status).toBe(404);
      expect(await response.json()).toEqual({ message: 'No pipeline found' });
    });
  });

  describe('when a pipeline is set at runtime', () => {
    it('serves the new repository, or an empty one for a pipeline without a repository', async () => {
      buildkite.setPipeline('acme', 'gadget', 'git@github.com:acme/gadget.git');
      buildkite.setPipeline('acme', 'widget', '');
      expect(await (await lookup('acme/pipelines/gadget')).json()).toMatchObject({
        repository: 'git@github.com:acme/gadget.git',
      });
      expect(await (await lookup('acme/pipelines/widget')).json()).toMatchObject({ slug: 'widget', repository: '' });
    });
  });

  describe('when told to fail the next lookups', () => {
    it('answers that status for exactly that many lookups, then recovers', async () => {
      buildkite.failNext(502, 2);
      expect((await lookup('acme/pipelines/widget')).status).toBe(502);
      expect((await lookup('acme/pipelines/widget')).status).toBe(502);
      expect((await lookup('acme/pipelines/widget')).status).toBe(200);
      expect(buildkite.requests).toBe(3);
    });
  });

  describe('when answers are delayed', () => {
    it('lets a client time out', async () => {
      buildkite.setDelayMs(2_000);
      const request = fetch(`${buildkite.url}/v2/organizations/acme/pipelines/widget`, {
        headers: { authorization: `Bearer ${apiToken}` },
        signal: AbortSignal.timeout(100),
      });
      await expect(request).rejects.toMatchObject({ name: 'TimeoutError' });
    });
  });

  it('answers 404 for any other route', async () => {
    expect((await fetch(`${buildkite.url}/v2/organizations/acme`)).status).toBe(404);
    const post = await fetch(`${buildkite.url}/v2/organizations/acme/pipelines/widget`, { method: 'POST' });
    expect(post.status).toBe(404);
    expect(buildkite.requests).toBe(0);
  });
});
