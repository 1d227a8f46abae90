import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import { durationBucketsSeconds } from '../lib/observation-units.js';

/** The pushed instruments of one registry; every label takes values from a bounded set. */
export interface Instruments {
  readonly vends: Counter<'route' | 'profile' | 'outcome' | 'reason'>;
  readonly cacheResults: Counter<'tier' | 'result'>;
  readonly upstreamDuration: Histogram<'upstream' | 'operation' | 'outcome'>;
  readonly upstreamErrors: Counter<'upstream' | 'operation' | 'outcome'>;
  readonly upstreamRetries: Counter<'upstream' | 'operation' | 'reason'>;
  readonly githubRateLimitRemaining: Gauge<'credential' | 'account'>;
  readonly httpDuration: Histogram<'route' | 'method' | 'status'>;
}

/** Creates the pushed instruments in `registry` (never the global default registry). */
export function createInstruments(registry: Registry): Instruments {
  const registers = [registry];
  return {
    vends: new Counter({
      name: 'token_bridge_vends_total',
      help: 'Requests on the vending routes by route template, resolved profile, outcome and reason class.',
      labelNames: ['route', 'profile', 'outcome', 'reason'],
      registers,
    }),
    cacheResults: new Counter({
      name: 'token_bridge_token_cache_results_total',
      help: 'Token cache lookups by tier (memory, valkey) and result (hit, miss, mismatch, error).',
      labelNames: ['tier', 'result'],
      registers,
    }),
    upstreamDuration: new Histogram({
      name: 'token_bridge_upstream_request_duration_seconds',
      help: 'Duration of calls to GitHub, Buildkite, the OIDC issuer, KMS, Secrets Manager and Valkey.',
      labelNames: ['upstream', 'operation', 'outcome'],
      buckets: [...durationBucketsSeconds],
      registers,
    }),
    upstreamErrors: new Counter({
      name: 'token_bridge_upstream_errors_total',
      help: 'Upstream calls that did not succeed, by outcome (refused, failed, timeout).',
      labelNames: ['upstream', 'operation', 'outcome'],
      registers,
    }),
    upstreamRetries: new Counter({
      name: 'token_bridge_upstream_retries_total',
      help: 'Upstream calls tried again within a request\'s retry budget, by the reason of the attempt before (failed, timeout, rate_limited).',
      labelNames: ['upstream', 'operation', 'reason'],
      registers,
    }),
    githubRateLimitRemaining: new Gauge({
      name: 'token_bridge_github_rate_limit_remaining',
      help: "GitHub's x-ratelimit-remaining on its latest answer, per budget (app: minting and discovery; installation: installation-token calls, by the installation's account).",
      labelNames: ['credential', 'account'],
      registers,
    }),
    httpDuration: new Histogram({
      name: 'token_bridge_http_request_duration_seconds',
      help: 'Duration of answered HTTP requests by route template (unmatched for none), method and status.',
      labelNames: ['route', 'method', 'status'],
      buckets: [...durationBucketsSeconds],
      registers,
    }),
  };
}
