import { connect, type Socket } from 'node:net';

/** A raw connection that declared a large body and trickles it, one byte at a time. */
export interface SlowBodyConnection {
  /** Resolves with the status line's code once the answer's head arrived. */
  readonly answered: Promise<number>;
  /** Resolves once the server closed the connection (ended or reset it). */
  readonly closed: Promise<void>;
  readonly socket: Socket;
  stop(): void;
}

export interface SlowBodyOptions {
  /** `host:port` of a listening server. */
  readonly port: number;
  readonly path: string;
  readonly headers?: Record<string, string>;
  readonly declaredBytes?: number;
  /** How often one more byte of the body is sent. */
  readonly byteEveryMs: number;
}

/**
 * Opens a keep-alive connection that POSTs with a large `Content-Length` and then sends one
 * body byte every `byteEveryMs`, as a client that holds connections open on purpose would.
 */
export function openSlowBody(options: SlowBodyOptions): SlowBodyConnection {
  const socket = connect(options.port, '127.0.0.1');
  const headers = { host: 'localhost', connection: 'keep-alive', 'content-length': String(options.declaredBytes ?? 100_000), ...options.headers };
  const head = [`POST ${options.path} HTTP/1.1`, ...Object.entries(headers).map(([name, value]) => `${name}: ${value}`), '', ''].join('\r\n');
  socket.write(head);
  const trickle = setInterval(() => {
    if (socket.writable) socket.write('x');
  }, options.byteEveryMs);
  let received = '';
  const answered = new Promise<number>((resolve, reject) => {
    socket.on('data', (chunk: Buffer) => {
      received += chunk.toString('latin1');
      const status = /^HTTP\/1\.1 (\d{3})/.exec(received);
      if (status) resolve(Number(status[1]));
    });
    socket.once('close', () => reject(new Error(`closed before an answer; received: ${received}`)));
  });
  answered.catch(() => undefined);
  const closed = new Promise<void>((resolve) => {
    socket.once('close', () => resolve());
    // The peer's FIN is the server closing; a write after it may reset, which is also a close.
    socket.once('end', () => resolve());
    socket.on('error', () => resolve());
  });
  void closed.then(() => clearInterval(trickle));
  return {
    answered,
    closed,
    socket,
    stop: () => {
      clearInterval(trickle);
      socket.destroy();
    },
  };
}
