// One load phase, with the server's CPU time per request read around it, and the bench's own
// (this process's) CPU time per request beside it, to show which side limits the rate.
import { requestHead, runLoad } from './http-load.mjs';

/**
 * Runs `request` (method, path, and `tokens`: bearer tokens used in turn, one per request)
 * against `server` for `durationSecs` or `amount` requests.
 */
export async function runPhase(server, { title, method, path, tokens, connections, durationSecs, amount }) {
  const heads = tokens === undefined
    ? [requestHead(server.url, method, path)]
    : tokens.map((token) => requestHead(server.url, method, path, { authorization: `Bearer ${token}` }));
  const cpuBefore = server.cpuMs();
  const clientBefore = process.cpuUsage();
  const startedAt = performance.now();
  const result = await runLoad({ url: server.url, heads, connections, amount, durationSecs });
  const wallMs = performance.now() - startedAt;
  const clientUsed = process.cpuUsage(clientBefore);
  const serverMs = server.cpuMs() - cpuBefore;
  const total = result.total;
  return {
    title,
    requests: total,
    rps: result.rps,
    p50: result.p50,
    p99: result.p99,
    non2xx: result.non2xx,
    errors: result.errors,
    cpuUsPerRequest: (serverMs * 1000) / total,
    clientCpuUsPerRequest: (clientUsed.user + clientUsed.system) / total,
    serverBusy: serverMs / wallMs,
    clientBusy: (clientUsed.user + clientUsed.system) / 1000 / wallMs,
    tokenUses: tokens === undefined ? undefined : total / Math.min(tokens.length, total),
  };
}
