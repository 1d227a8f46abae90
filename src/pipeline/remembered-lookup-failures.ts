import { UpstreamFailedError, UpstreamRefusedError, UpstreamTimeoutError } from '../errors.js';
import type { Clock } from '../lib/clock.js';
import { createFailureMemory } from '../lib/failure-memory.js';
import type { PipelineRepositoryLookup } from './buildkite-pipelines.js';

export interface RememberedLookupOptions {
  readonly clock: Clock;
  /** How long a failed lookup is answered again without asking Buildkite. */
  readonly rememberMs: number;
}

/** A lookup that Buildkite refused (unknown pipeline, no repository), failed or timed out. */
export function isRememberedLookupFailure(error: unknown): boolean {
  return error instanceof UpstreamRefusedError || error instanceof UpstreamFailedError || error instanceof UpstreamTimeoutError;
}

/**
 * The pipeline lookup, one call per pipeline at a time, with a failure remembered for
 * `rememberMs` per organization and pipeline: a pipeline Buildkite does not know, asked
 * for by every retry of every job, costs one lookup per window instead of one per request.
 * Every argument is passed on, whatever the lookup takes besides the two slugs; concurrent
 * callers share the first caller's call.
 */
export function rememberLookupFailures(lookup: PipelineRepositoryLookup, options: RememberedLookupOptions): PipelineRepositoryLookup {
  const memory = createFailureMemory<string>({ ...options, isRemembered: isRememberedLookupFailure });
  return (...args: Parameters<PipelineRepositoryLookup>) => {
    const [organizationSlug, pipelineSlug] = args;
    return memory.run(`${organizationSlug}/${pipelineSlug}`, () => lookup(...args));
  };
}
