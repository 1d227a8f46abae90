import { RateLimitedError } from '../errors.js';
import type { WindowCounter } from '../lib/window-counter.js';
import type { ResolvedProfile } from '../profile/profile-resolver.js';
import type { Vendor } from './vendor.js';

/** The mint limit counts per minute. */
export const mintLimitWindowMs = 60_000;

export interface PipelineMintLimitOptions {
  /** Passes through the inner chain per pipeline and minute; 0 turns the limit off. */
  readonly limitPerMinute: number;
  /** Counts per pipeline in windows of {@link mintLimitWindowMs}: the fleet's, or this instance's. */
  readonly count: WindowCounter;
}

/**
 * Limits the passes one pipeline (its organization and slug, whatever the profile family)
 * makes through `inner`, the miss path that asks Buildkite and mints. It sits inside the
 * cache stage, so a cache hit is never counted nor refused. Beyond the limit, throws
 * {@link RateLimitedError} (429) with the seconds until the window ends.
 */
export function pipelineMintLimited<R extends ResolvedProfile>(options: PipelineMintLimitOptions, inner: Vendor<R>): Vendor<R> {
  const { limitPerMinute, count } = options;
  if (limitPerMinute <= 0) return inner;
  return async (request) => {
    const pipeline = `${request.claims.organizationSlug}/${request.claims.pipelineSlug}`;
    const counted = await count(pipeline);
    if (counted.count > limitPerMinute) {
      throw new RateLimitedError(pipeline, Math.max(1, Math.ceil(counted.resetsInMs / 1000)));
    }
    return inner(request);
  };
}
