// A proxy in front of the GitHub stand-in that fails in bursts: for `burstSecs` out of every
// `everySecs`, every request is answered with the burst's fault, in turn a 502, a reset
// connection, and a 429 with Retry-After (GitHub's rate limit); otherwise it forwards.
import { createServer, request as forward } from 'node:http';

const faults = ['502', 'reset', '429'];

/** Starts the proxy on a free loopback port in front of `targetUrl` (no trailing slash). */
export async function startFlakyUpstream({ targetUrl, everySecs, burstSecs, retryAfterSecs = 2 }) {
  const startedMs = performance.now();
  const target = new URL(targetUrl);
  const counts = { forwarded: 0, '502': 0, reset: 0, '429': 0 };
  /** The fault of the burst under way, or undefined between bursts. */
  const faultNow = () => {
    const elapsedSecs = (performance.now() - startedMs) / 1000;
    const burst = Math.floor(elapsedSecs / everySecs);
    return elapsedSecs - burst * everySecs >= everySecs - burstSecs ? faults[burst % faults.length] : undefined;
  };
  const server = createServer((req, res) => {
    const fault = faultNow();
    if (fault !== undefined) counts[fault] += 1;
    if (fault === 'reset') return req.socket.destroy();
    if (fault === '502') return res.writeHead(502, { 'content-type': 'application/json' }).end('{"message":"Bad Gateway"}');
    if (fault === '429') {
      return res
        .writeHead(429, { 'content-type': 'application/json', 'retry-after': String(retryAfterSecs), 'x-ratelimit-remaining': '0' })
        .end('{"message":"API rate limit exceeded"}');
    }
    counts.forwarded += 1;
    const headers = { ...req.headers, host: target.host };
    const upstream = forward({ host: target.hostname, port: target.port, method: req.method, path: req.url, headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    counts,
    faultNow,
    close: () => new Promise((resolve) => {
      server.closeAllConnections();
      server.close(resolve);
    }),
  };
}
