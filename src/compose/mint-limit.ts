import type { Logger } from 'pino';
import type { Config } from '../config/load-config.js';
import type { Clock } from '../lib/clock.js';
import { fallbackWindowCounter } from '../lib/fallback-window-counter.js';
import { createLocalWindowCounter } from '../lib/window-counter.js';
import { mintLimitWindowMs, type PipelineMintLimitOptions } from '../vending/pipeline-mint-limit.js';
import type { SharedCache } from './shared-cache.js';

/**
 * `PIPELINE_MINT_LIMIT_PER_MINUTE` and where it counts: in Valkey for the whole fleet with
 * `CACHE_TYPE=valkey` (this instance's count while Valkey is unreachable), else per instance.
 */
export function composeMintLimit(
  config: Config,
  parts: { readonly clock: Clock; readonly logger: Logger; readonly shared: SharedCache | undefined },
): PipelineMintLimitOptions {
  const local = createLocalWindowCounter({ clock: parts.clock, windowMs: mintLimitWindowMs });
  const count = parts.shared === undefined ? local : fallbackWindowCounter(parts.shared.mintCounts, local, parts.logger);
  return { limitPerMinute: config.cache.pipelineMintLimitPerMinute, count };
}
