import { afterEach, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../support/harness.js';
import { credentialInput, postCredentials, postToken } from '../support/requests.js';

let h: Harness;
afterEach(async () => h.close());

const denied = (status: number, error: string) => ({ status, body: `${JSON.stringify({ error })}\n` });

describe('when an upstream refuses or fails', () => {
  // Retries off: each failure is answered as it comes (retries are in upstream-retries.test.ts).
  const noRetries = { env: { SERVER_OUTGOING_RETRY_BUDGET_SECS: '0' } };

  it.each([
    ['the pipeline has no repository', (x: Harness) => x.world.buildkite.setPipeline('acme', 'widget', ''), 403, 'Forbidden'],
    ['Buildkite answers 500', (x: Harness) => x.world.buildkite.failNext(500), 502, 'Bad Gateway'],
    ['Buildkite rejects our API token', (x: Harness) => x.world.buildkite.failNext(401), 502, 'Bad Gateway'],
    ['GitHub answers 500', (x: Harness) => x.world.github.failNext(500), 502, 'Bad Gateway'],
    ['GitHub rejects the App JWT', (x: Harness) => x.world.github.failNext(401), 502, 'Bad Gateway'],
    ['GitHub refuses the repository', (x: Harness) => x.world.github.failNext(422), 403, 'Forbidden'],
  ])('maps "%s" to %i', async (_case, arrange, status, error) => {
    h = await startHarness(noRetries);
    arrange(h);
    const response = await postToken(h.app, '/token', await h.token());

    expect({ status: response.statusCode, body: response.body }).toEqual(denied(status, error));
    expect(h.audit.lines.at(-1)).toMatchObject({
      outcome: status === 403 ? 'denied' : 'failed',
      request: { status },
      error: expect.stringMatching(/^vendor failure: /) as unknown,
    });
  });

  it('answers 403 for a pipeline Buildkite has never heard of', async () => {
    h = await startHarness();
    const response = await postToken(h.app, '/token', await h.token({ pipeline_slug: 'ghost' }));

    expect(response.statusCode).toBe(403);
  });

  it('answers 403 for a pipeline whose repository is not on GitHub', async () => {
    h = await startHarness();
    h.world.buildkite.setPipeline('acme', 'widget', 'https://gitlab.com/acme/widget.git');
    const response = await postToken(h.app, '/token', await h.token());

    expect(response.statusCode).toBe(403);
    expect(h.world.github.requests).toBe(0);
  });

  it('answers 504 when GitHub does not answer within SERVER_OUTGOING_TIMEOUT_SECS', async () => {
    h = await startHarness({ env: { SERVER_OUTGOING_TIMEOUT_SECS: '1', SERVER_OUTGOING_RETRY_BUDGET_SECS: '0' } });
    h.world.github.setDelayMs(1500);
    const response = await postToken(h.app, '/token', await h.token());

    expect(response.statusCode).toBe(504);
    expect(response.json()).toEqual({ error: 'Gateway Timeout' });
  });

  it('answers 502 when GitHub cannot be reached, and never echoes the upstream message', async () => {
    h = await startHarness(noRetries);
    await h.world.github.close();
    const response = await postCredentials(h.app, '/git-credentials', await h.token(), credentialInput('acme/widget.git'));

    expect(response.statusCode).toBe(502);
    expect(response.headers['chinmina-denied']).toBe('Bad Gateway');
    expect(response.body).toBe('');
  });

  it('does not cache a failure: the next request mints', async () => {
    h = await startHarness(noRetries);
    h.world.github.failNext(500);
    const token = await h.token();
    await postToken(h.app, '/token', token);
    const retry = await postToken(h.app, '/token', token);

    expect(retry.statusCode).toBe(200);
    expect(h.world.github.mints).toHaveLength(1);
  });
});
