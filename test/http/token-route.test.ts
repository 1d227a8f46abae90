import { createHash } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../support/harness.js';
import { postToken } from '../support/requests.js';

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(async () => h.close());

describe('POST /token', () => {
  describe('for a verified pipeline job', () => {
    it('answers Chinmina\'s token JSON for the pipeline repository, SSH translated to HTTPS', async () => {
      const response = await postToken(h.app, '/token', await h.token());

      expect(response.statusCode).toBe(200);
      expect(response.headers['content-type']).toMatch(/^application\/json/);
      const [mint] = h.world.github.mints;
      const body: unknown = response.json();
      expect(body).toEqual({
        organizationSlug: 'acme',
        profile: 'repo:default',
        repositoryUrl: 'https://github.com/acme/widget.git',
        repositories: { names: ['widget'] },
        permissions: ['contents:read', 'metadata:read'],
        token: mint?.token,
        hashedToken: createHash('sha256').update(mint?.token ?? '').digest('base64'),
        expiry: mint?.expiresAt,
      });
      expect(Object.keys(body as object)).toEqual([
        'organizationSlug',
        'profile',
        'repositoryUrl',
        'repositories',
        'permissions',
        'token',
        'hashedToken',
        'expiry',
      ]);
    });

    it('asks GitHub for that one repository with the profile permissions and metadata:read', async () => {
      await postToken(h.app, '/token', await h.token());

      expect(h.world.github.mints).toHaveLength(1);
      expect(h.world.github.mints[0]).toMatchObject({
        repositories: ['widget'],
        permissions: { contents: 'read', metadata: 'read' },
      });
    });

    it('serves /token, /token/default and /token/repo:default from one cached token', async () => {
      const token = await h.token();
      const answers = [];
      for (const url of ['/token', '/token/default', '/token/repo:default']) {
        answers.push((await postToken(h.app, url, token)).json<{ token: string }>().token);
      }

      expect(new Set(answers).size).toBe(1);
      expect(h.world.github.requests).toBe(1);
      expect(h.world.buildkite.requests).toBe(1);
    });

    it('answers a warm cache without calling Buildkite or GitHub, also for another job of the pipeline', async () => {
      await postToken(h.app, '/token', await h.token());
      const again = await postToken(h.app, '/token', await h.token({ job_id: 'another-job', build_number: 43 }));

      expect(again.statusCode).toBe(200);
      expect(h.world.github.requests).toBe(1);
      expect(h.world.buildkite.requests).toBe(1);
    });

    it('mints once for 20 concurrent requests on a cold cache', async () => {
      const token = await h.token();
      const responses = await Promise.all(Array.from({ length: 20 }, () => postToken(h.app, '/token', token)));

      expect(responses.map((r) => r.statusCode)).toEqual(Array(20).fill(200));
      expect(new Set(responses.map((r) => r.json<{ token: string }>().token)).size).toBe(1);
      expect(h.world.github.requests).toBe(1);
      expect(h.world.buildkite.requests).toBe(1);
    });

    it('keeps tokens of different pipelines apart', async () => {
      h.world.buildkite.setPipeline('acme', 'gadget', 'https://github.com/acme/gadget.git');
      await postToken(h.app, '/token', await h.token());
      const other = await postToken(
        h.app,
        '/token',
        await h.token({ pipeline_slug: 'gadget', pipeline_id: '0190a1b2-0000-7000-8000-000000000002' }),
      );

      expect(other.json()).toMatchObject({ repositories: { names: ['gadget'] } });
      expect(h.world.github.requests).toBe(2);
    });

    it('ignores the request body and its Content-Type', async () => {
      const response = await h.app.inject({
        method: 'POST',
        url: '/token?repository-scope=acme/other',
        headers: { authorization: `Bearer ${await h.token()}`, 'content-type': 'application/x-www-form-urlencoded' },
        payload: 'x'.repeat(30 * 1024),
      });

      expect(response.statusCode).toBe(200);
    });
  });

  describe('with a profile reference', () => {
    it.each([['org:release'], ['bogus:x'], ['repo:'], [':x']])('answers 400 Bad Request JSON for %s', async (ref) => {
      const response = await postToken(h.app, `/token/${ref}`, await h.token());

      expect(response.statusCode).toBe(400);
      expect(response.body).toBe('{"error":"Bad Request"}\n');
    });

    it.each([['release'], ['repo:release'], ['a%2Fb']])('answers 404 profile not found for %s', async (ref) => {
      const response = await postToken(h.app, `/token/${ref}`, await h.token());

      expect(response.statusCode).toBe(404);
      expect(response.json()).toEqual({ error: 'profile not found' });
      expect(h.world.github.requests).toBe(0);
    });

    it('keeps an unresolved name raw in the audit record', async () => {
      await postToken(h.app, '/token/a%2Fprofile%2Fb', await h.token());

      expect(h.audit.lines[0]).toMatchObject({ token: { requestedProfile: 'a/profile/b' }, outcome: 'denied' });
    });
  });

  describe('with the wrong method or path', () => {
    it('answers 405 with Allow', async () => {
      const response = await h.app.inject({ method: 'GET', url: '/token/default' });

      expect(response.statusCode).toBe(405);
      expect(response.headers.allow).toBe('POST');
    });

    it.each([['/token/'], ['/token/a/b'], ['/tokens']])('answers 404 for %s', async (url) => {
      const response = await postToken(h.app, url, await h.token());

      expect(response.statusCode).toBe(404);
    });
  });
});
