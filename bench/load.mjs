// One load phase with autocannon, with the server's CPU time per request read around it.
import autocannon from 'autocannon';

/**
 * Runs `request` (method, path, and `tokens`: bearer tokens used in turn, one per request)
 * against `server` for `durationSecs` or `amount` requests.
 */
export async function runPhase(server, { title, method, path, tokens, connections, durationSecs, amount }) {
  let next = 0;
  const setupRequest = tokens === undefined
    ? undefined
    : (request) => ({ ...request, headers: { authorization: `Bearer ${tokens[next++ % tokens.length]}` } });
  const cpuBefore = server.cpuMs();
  const result = await autocannon({
    url: server.url,
    connections,
    ...(amount === undefined ? { duration: durationSecs } : { amount }),
    requests: [{ method, path, ...(setupRequest && { setupRequest }) }],
  });
  const total = result.requests.total;
  return {
    title,
    requests: total,
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors,
    cpuUsPerRequest: ((server.cpuMs() - cpuBefore) * 1000) / total,
    tokenUses: tokens === undefined ? undefined : total / Math.min(tokens.length, total),
  };
}
