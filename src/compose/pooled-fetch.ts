import { Agent, fetch as undiciFetch } from 'undici';
import type { Config } from '../config/load-config.js';
import type { Fetch } from '../lib/upstream.js';

/**
 * A fetch over one connection pool: at most `SERVER_OUTGOING_MAX_CONNS_PER_HOST` connections
 * per upstream origin, kept alive between calls.
 */
export function createPooledFetch(config: Config): Fetch {
  const { outgoing } = config.server;
  const dispatcher = new Agent({
    connections: outgoing.maxConnectionsPerHost,
    pipelining: 1,
    keepAliveTimeout: 30_000,
  });
  // undici's fetch is the implementation behind Node's global fetch; only its declared
  // types differ (its own Request/Response classes), so the cast changes no behaviour.
  return ((input: Parameters<Fetch>[0], init?: Parameters<Fetch>[1]) =>
    undiciFetch(input as Parameters<typeof undiciFetch>[0], {
      ...(init as Parameters<typeof undiciFetch>[1]),
      dispatcher,
    })) as unknown as Fetch;
}
