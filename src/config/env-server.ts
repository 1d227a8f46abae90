import { booleanOrCount, inGroup, integer, optionalText } from './env-fields.js';

const secs = { min: 0, max: 86_400 } as const;
const connections = { min: 1, max: 10_000 } as const;

/**
 * The Server section: listening port, shutdown drain, base path, outbound connection pool and
 * deadlines, proxy trust and log mode.
 */
export const serverEnv = {
  ...inGroup('Server', {
    SERVER_PORT: integer(
      'TCP port of the vending routes, `/healthcheck` and `/livez`; of `/metrics` too only with `METRICS_PORT=0`.',
      8080,
      { min: 0, max: 65_535 },
    ),
    SERVER_SHUTDOWN_TIMEOUT_SECS: integer(
      'Drain deadline. On SIGTERM or SIGINT `/healthcheck` answers 503 at once, no new connection is accepted and in-flight requests get this many seconds to finish; the process then exits 0, or closes what is left and exits 1. Keep it below the orchestrator\'s kill grace period.',
      25,
      secs,
    ),
    SERVER_REQUEST_BODY_TIMEOUT_SECS: integer(
      'How long a vending request\'s body (git\'s credential request, at most 20 KiB) may take to arrive once the token is verified. A body still incomplete then is answered 400 and its connection closed, so a client trickling a body cannot hold a connection, or the drain, for longer. Keep it below `SERVER_SHUTDOWN_TIMEOUT_SECS`.',
      10,
      { min: 1, max: 300 },
    ),
    SERVER_BASE_PATH: optionalText(
      'Serve every route, health checks included, under this path prefix (e.g. `/bridge`), matched at a segment boundary; other paths answer 404. Surrounding slashes are dropped; an empty segment (`//`) is refused. Audit records show the path without the prefix.',
    ),
    SERVER_OUTGOING_MAX_IDLE_CONNS: integer(
      'Accepted for Chinmina compatibility, with no separate effect: the outbound pool keeps at most `SERVER_OUTGOING_MAX_CONNS_PER_HOST` connections per upstream, idle or busy.',
      100,
      connections,
    ),
    SERVER_OUTGOING_MAX_CONNS_PER_HOST: integer(
      'Connections kept (alive) per upstream origin: GitHub, Buildkite, the OIDC issuer. Further calls queue for a free connection.',
      20,
      connections,
    ),
    SERVER_OUTGOING_TIMEOUT_SECS: integer(
      'Deadline of each attempt of an upstream call (GitHub, Buildkite, OIDC discovery, AWS KMS and Secrets Manager); an attempt past it is abandoned, retried within `SERVER_OUTGOING_RETRY_BUDGET_SECS` where that applies, and otherwise the request answers 504.',
      10,
      { min: 1, max: 300 },
    ),
    SERVER_OUTGOING_RETRY_BUDGET_SECS: integer(
      'Time a request may spend retrying its GitHub and Buildkite calls (the pipeline lookup, installation discovery, the mint; each profile file read likewise). A connection error, a timeout or a 5xx is retried after about 100 ms, doubling, jittered; a GitHub or Buildkite rate limit is waited for when its reset comes within the budget, and answered 503 with `Retry-After` otherwise. Other 4xx answers are never retried. No attempt runs past the budget plus `SERVER_OUTGOING_TIMEOUT_SECS`, so a request ends within 20 s by default however its upstreams misbehave. `0` turns retries off.',
      10,
      { min: 0, max: 300 },
    ),
    SERVER_TRUST_PROXY: booleanOrCount(
      'How many proxies in front of the service append to `X-Forwarded-For` (`true`: one, `false` or `0`: none). With N, the audit `sourceIP` is the Nth address from the right of `X-Forwarded-For`, the one the outermost trusted proxy saw; when that entry is missing or not a well-formed IP address, it is the TCP peer, as without a proxy.',
      false,
      10,
    ),
    ENV: optionalText(
      '`development`: human-readable logs at debug level. Anything else: JSON logs at info. Audit records are JSON lines either way.',
    ),
  }),
};
