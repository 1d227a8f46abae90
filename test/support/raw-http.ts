import { connect } from 'node:net';

/** What a server did with bytes sent over one raw connection. */
export interface RawExchange {
  /** The status of every final response read, in order (pipelined requests may get several); 1xx interim answers left out. */
  readonly statuses: readonly number[];
  /** Everything the server sent back, as latin1 text. */
  readonly text: string;
  /** The server did not close the connection within the time allowed. */
  readonly timedOut: boolean;
}

/**
 * Opens a TCP connection to 127.0.0.1:`port`, writes `bytes`, half-closes, and reads until
 * the server closes or `timeoutMs` passes. Connection errors (a reset) count as a close:
 * dropping unparseable HTTP is an acceptable answer.
 */
export function sendRaw(port: number, bytes: Buffer | string, timeoutMs = 5000): Promise<RawExchange> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    const socket = connect({ host: '127.0.0.1', port });
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      socket.destroy();
    }, timeoutMs);
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('error', () => socket.destroy());
    socket.on('close', () => {
      clearTimeout(timer);
      const text = Buffer.concat(chunks).toString('latin1');
      const statuses = [...text.matchAll(/(?:^|\r\n)HTTP\/1\.[01] (\d{3}) /g)]
        .map((match) => Number(match[1]))
        .filter((status) => status >= 200);
      resolve({ statuses, text, timedOut });
    });
    socket.on('connect', () => {
      socket.end(bytes);
    });
  });
}

/** Runs `work` over `items` with at most `limit` in flight; answers the results in order. */
export async function mapLimited<T, R>(items: readonly T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next;
      next += 1;
      results[index] = await work(items[index] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/** A response read off a raw connection: its status, head and body as text. */
export interface RawResponse {
  readonly status: number;
  readonly head: string;
  readonly body: string;
}

/**
 * Writes `request` exactly as given (request line, headers, body) to `127.0.0.1:port`,
 * without half-closing, and reads until the server closes; send `Connection: close` so it does.
 */
export function sendRawRequest(port: number, request: string): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.write(request));
    let received = '';
    socket.on('data', (chunk: Buffer) => (received += chunk.toString('utf8')));
    socket.on('error', reject);
    socket.on('close', () => {
      const [head = '', body = ''] = received.split('\r\n\r\n', 2);
      resolve({ status: Number(/^HTTP\/1\.1 (\d{3})/.exec(head)?.[1] ?? 0), head, body });
    });
  });
}
