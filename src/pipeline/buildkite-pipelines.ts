import { UpstreamFailedError, UpstreamRefusedError } from '../errors.js';
import { readJson, type Fetch, type Upstream } from '../lib/upstream.js';
import { pipelineRepositoryUrl } from './repository-url.js';

/** Finds the repository URL Buildkite has for a pipeline, as Buildkite spells it. */
export type PipelineRepositoryLookup = (organizationSlug: string, pipelineSlug: string) => Promise<string>;

export interface BuildkitePipelinesOptions {
  readonly apiUrl: string;
  readonly apiToken: string;
  readonly fetch: Fetch;
  readonly upstream: Upstream;
}

/**
 * `GET /v2/organizations/{org}/pipelines/{slug}`. A pipeline Buildkite does not know, or
 * one without a repository, is the caller's problem ({@link UpstreamRefusedError}, 403);
 * any other answer is Buildkite's or our configuration's ({@link UpstreamFailedError}, 502).
 */
export function createPipelineRepositoryLookup(options: BuildkitePipelinesOptions): PipelineRepositoryLookup {
  const base = options.apiUrl.replace(/\/+$/, '');
  const headers = { authorization: `Bearer ${options.apiToken}`, accept: 'application/json' };
  return (organizationSlug, pipelineSlug) =>
    options.upstream.call('pipeline lookup', async (signal) => {
      const path = `/v2/organizations/${encodeURIComponent(organizationSlug)}/pipelines/${encodeURIComponent(pipelineSlug)}`;
      const response = await options.fetch(`${base}${path}`, { headers, signal });
      const body = await readJson(response);
      const pipeline = `${organizationSlug}/${pipelineSlug}`;
      if (response.status === 404) throw new UpstreamRefusedError('buildkite', `pipeline ${pipeline} not found`);
      if (response.status !== 200) throw new UpstreamFailedError('buildkite', 'pipeline lookup', `HTTP ${response.status}`);
      const repository = typeof body === 'object' && body !== null && 'repository' in body ? body.repository : undefined;
      if (typeof repository !== 'string' || repository.trim() === '') {
        throw new UpstreamRefusedError('buildkite', `no configured repository for pipeline ${pipeline}`);
      }
      return pipelineRepositoryUrl(repository);
    });
}
