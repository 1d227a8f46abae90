import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** What every stand-in returns: where it listens and how to stop it. */
export interface StandInHandle {
  /** Base URL without a trailing slash, e.g. `http://127.0.0.1:43210`. */
  readonly url: string;
  /** Stops listening and drops open (keep-alive) connections; resolves once closed. Idempotent. */
  close(): Promise<void>;
}

/** Answers one request; `signal` aborts when the server closes, so delays end early. */
export type StandInHandler = (
  req: IncomingMessage,
  res: ServerResponse,
  signal: AbortSignal,
) => Promise<void>;

/** Where a stand-in listens. */
export interface ListenOptions {
  /** 0 (the default) picks a free port. */
  readonly port?: number;
  /** Defaults to `127.0.0.1`: stand-ins are never reachable from other hosts by default. */
  readonly host?: string;
}

/**
 * Starts a `node:http` server for a stand-in. A handler that throws answers 500 with a
 * generic body and logs the error to stderr, so a broken fake fails loudly in a test
 * instead of hanging it.
 */
export async function startHttpServer(handler: StandInHandler, options: ListenOptions = {}): Promise<StandInHandle> {
  const closing = new AbortController();
  const server = createServer((req, res) => {
    handler(req, res, closing.signal).catch((error: unknown) => {
      // A client that hung up (or a server closing mid-delay) is not a broken fake.
      if (req.destroyed || closing.signal.aborted) return;
      console.error('stand-in handler failed', error);
      if (!res.headersSent && !res.destroyed) {
        res.writeHead(500, { 'content-type': 'application/json' }).end('{"message":"stand-in error"}');
      }
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  // listen() on a TCP port always yields AddressInfo; the string form is for pipes only.
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  let closed: Promise<void> | undefined;
  const close = (): Promise<void> =>
    new Promise<void>((resolve, reject) => {
      closing.abort();
      server.close((error) => (error ? reject(error) : resolve()));
      // fetch keeps connections alive; without this close() waits for them to time out.
      server.closeAllConnections();
    });
  return {
    url: `http://${host}:${address.port}`,
    // Idempotent, so a test's own close() and its afterEach can both call it.
    close: () => (closed ??= close()),
  };
}
