// The bench's load generator: keep-alive connections over node:net, each sending one request
// at a time from a list of request heads built once (so the client's own cost per request is
// a socket write and reading one Content-Length-framed answer, not rebuilding ~1 KB of
// headers). Requests are taken from the list in turn across all connections, as they free.
import { Buffer } from 'node:buffer';
import { connect } from 'node:net';

const headEnd = Buffer.from('\r\n\r\n');

/** The request head `method path` with `headers`, as bytes, as a client sends it on keep-alive. */
export function requestHead(url, method, path, headers = {}) {
  const { host } = new URL(url);
  const lines = [`${method} ${path} HTTP/1.1`, `Host: ${host}`, 'Connection: keep-alive'];
  for (const [name, value] of Object.entries(headers)) lines.push(`${name}: ${value}`);
  return Buffer.from(`${lines.join('\r\n')}\r\n\r\n`, 'latin1');
}

/**
 * Sends `heads` (used in turn, wrapping) over `connections` connections to `url` until
 * `amount` requests were answered, or `durationSecs` passed. Answers the count, statuses
 * other than 2xx, errors, requests per second, and latency p50/p99 in ms.
 */
export async function runLoad({ url, heads, connections, amount, durationSecs }) {
  const { hostname, port } = new URL(url);
  const latencies = [];
  let next = 0;
  let non2xx = 0;
  let errors = 0;
  const startedAt = performance.now();
  const deadline = amount === undefined ? startedAt + durationSecs * 1000 : Infinity;
  const more = () => (amount === undefined ? performance.now() < deadline : next < amount);
  const oneConnection = () =>
    new Promise((resolve) => {
      const socket = connect({ host: hostname, port: Number(port), noDelay: true });
      let pending = Buffer.alloc(0);
      let sentAt = 0;
      const send = () => {
        if (!more()) return socket.end();
        sentAt = performance.now();
        socket.write(heads[next++ % heads.length]);
      };
      socket.on('connect', send);
      socket.on('data', (chunk) => {
        pending = pending.length === 0 ? chunk : Buffer.concat([pending, chunk]);
        const end = pending.indexOf(headEnd);
        if (end < 0) return;
        const head = pending.toString('latin1', 0, end);
        const length = Number(/\r\ncontent-length: *(\d+)/i.exec(head)?.[1] ?? 0);
        if (pending.length < end + 4 + length) return;
        pending = pending.subarray(end + 4 + length);
        latencies.push(performance.now() - sentAt);
        if (head.charCodeAt(9) !== 50) non2xx += 1; // status not 2xx
        send();
      });
      socket.on('error', () => {
        errors += 1;
        socket.destroy();
      });
      socket.on('close', resolve);
    });
  await Promise.all(Array.from({ length: connections }, oneConnection));
  const seconds = (performance.now() - startedAt) / 1000;
  latencies.sort((a, b) => a - b);
  const at = (q) => Math.round(latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0);
  return { total: latencies.length, non2xx, errors, rps: latencies.length / seconds, p50: at(0.5), p99: at(0.99) };
}
