import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';

/** One export an OTLP/HTTP client POSTed. */
export interface ReceivedExport {
  readonly path: string;
  readonly contentType: string | undefined;
  /** The protobuf body, decompressed when it came gzipped. */
  readonly body: Buffer;
}

/** A stand-in OpenTelemetry collector speaking OTLP/HTTP: it keeps every POST and answers 200. */
export interface OtlpCollector {
  readonly url: string;
  readonly received: readonly ReceivedExport[];
  /** Every body POSTed to `path`, joined, read as Latin-1 so protobuf strings can be searched. */
  bodiesAt(path: '/v1/traces' | '/v1/metrics'): string;
  close(): Promise<void>;
}

export async function startOtlpCollector(): Promise<OtlpCollector> {
  const received: ReceivedExport[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const raw = Buffer.concat(chunks);
      const body = req.headers['content-encoding'] === 'gzip' ? gunzipSync(raw) : raw;
      received.push({ path: req.url ?? '/', contentType: req.headers['content-type'], body });
      // An empty ExportTrace/MetricsServiceResponse: full success.
      res.writeHead(200, { 'content-type': 'application/x-protobuf' }).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    bodiesAt: (path) =>
      Buffer.concat(received.filter((entry) => entry.path === path).map((entry) => entry.body)).toString('latin1'),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
