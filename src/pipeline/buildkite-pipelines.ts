import { httpFailure, UpstreamRateLimitedError, UpstreamRefusedError } from '../errors.js';
import { createRateLimitGate } from '../lib/rate-limit-gate.js';
import { clampWait, retryAfterSecondsOf } from '../lib/retry-after.js';
import type { RetryBudget } from '../lib/retry-budget.js';
import { readJson, type Fetch, type Upstream } from '../lib/upstream.js';
import { pipelineRepositoryUrl } from './repository-url.js';

/**
 * Finds the repository URL Buildkite has for a pipeline, as Buildkite spells it. With
 * `budget` (the request's) a failed or rate-limited lookup is tried again within it.
 */
export type PipelineRepositoryLookup = (organizationSlug: string, pipelineSlug: string, budget?: RetryBudget) => Promise<string>;

export interface BuildkitePipelinesOptions {
  readonly apiUrl: string;
  readonly apiToken: string;
  readonly fetch: Fetch;
  readonly upstream: Upstream;
}

const operation = 'pipeline lookup';

/**
 * `GET /v2/organizations/{org}/pipelines/{slug}`. A pipeline Buildkite does not know, or
 * one without a repository, is the caller's problem ({@link UpstreamRefusedError}, 403);
 * a 429 spends the API token's rate limit until `RateLimit-Reset` (waited for within the
 * budget, else 503); any other answer is Buildkite's or our configuration's
 * ({@link UpstreamFailedError}, 502; a 5xx is retried).
 */
export function createPipelineRepositoryLookup(options: BuildkitePipelinesOptions): PipelineRepositoryLookup {
  const base = options.apiUrl.replace(/\/+$/, '');
  const headers = { authorization: `Bearer ${options.apiToken}`, accept: 'application/json' };
  const gate = createRateLimitGate();
  return (organizationSlug, pipelineSlug, budget) =>
    options.upstream.call(
      operation,
      async (signal) => {
        const path = `/v2/organizations/${encodeURIComponent(organizationSlug)}/pipelines/${encodeURIComponent(pipelineSlug)}`;
        const response = await options.fetch(`${base}${path}`, { headers, signal });
        const body = await readJson(response);
        const pipeline = `${organizationSlug}/${pipelineSlug}`;
        if (response.status === 404) throw new UpstreamRefusedError('buildkite', `pipeline ${pipeline} not found`);
        if (response.status === 429) throw new UpstreamRateLimitedError('buildkite', operation, buildkiteWaitSecs(response.headers));
        if (response.status !== 200) throw httpFailure('buildkite', operation, response.status);
        const repository = typeof body === 'object' && body !== null && 'repository' in body ? body.repository : undefined;
        if (typeof repository !== 'string' || repository.trim() === '') {
          throw new UpstreamRefusedError('buildkite', `no configured repository for pipeline ${pipeline}`);
        }
        return pipelineRepositoryUrl(repository);
      },
      { budget, gate },
    );
}

/** Buildkite's `RateLimit-Reset` (seconds until the reset), else `Retry-After`, else a minute. */
function buildkiteWaitSecs(headers: Headers): number {
  const reset = headers.get('ratelimit-reset')?.trim();
  if (reset !== undefined && /^\d{1,10}$/.test(reset)) return clampWait(Number(reset));
  return retryAfterSecondsOf(headers) ?? 60;
}
