import { createServer as createHttpServer } from 'node:http';
import { createServer as createTcpServer, type AddressInfo } from 'node:net';
import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { UpstreamRefusedError } from '../../src/errors.js';
import { createManualClock } from '../../src/lib/clock.js';
import { createUpstream, type Fetch } from '../../src/lib/upstream.js';
import { exportedText, onlySpan, startTestTelemetry, type TestTelemetry } from './telemetry-fixtures.js';

let observed: TestTelemetry;
let tracedFetch: Fetch;
beforeAll(async () => {
  observed = await startTestTelemetry();
  const { traceFetch } = observed.telemetry.tracing;
  if (traceFetch === undefined) throw new Error('HTTP transport tracing is on in these tests');
  tracedFetch = traceFetch(globalThis.fetch);
});
afterAll(async () => {
  await observed.telemetry.shutdown();
});
beforeEach(async () => {
  await observed.reset();
});

function tracedUpstream(timeoutMs = 1000) {
  return createUpstream({ name: 'github', timeoutMs, clock: createManualClock(0), tracer: observed.telemetry.tracing.upstreams });
}

/** An HTTP server answering every request with `status`; closed after `use`. */
async function withServer(status: number, use: (url: string) => Promise<void>) {
  const server = createHttpServer((_req, res) => res.writeHead(status).end());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    await use(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
  } finally {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
}

async function closedPort(): Promise<number> {
  const server = createTcpServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('upstream call spans', () => {
  it('name the upstream and operation, and hold the outcome', async () => {
    await tracedUpstream().call('installation token', async () => 'ok');
    const span = onlySpan(await observed.spans(), 'github installation token');

    expect(span.kind).toBe(SpanKind.CLIENT);
    expect(span.parentSpanContext).toBeUndefined();
    expect(span.status.code).toBe(SpanStatusCode.UNSET);
    expect(span.attributes).toEqual({ 'upstream.name': 'github', 'upstream.operation': 'installation token', 'upstream.outcome': 'ok' });
  });

  it('fail with the outcome as error type when the deadline passes, and with refused on a refusal', async () => {
    const upstream = tracedUpstream(50);
    const untilAborted = (signal: AbortSignal) => new Promise<never>((_, reject) => signal.addEventListener('abort', () => reject(signal.reason)));
    await expect(upstream.call('slow', untilAborted)).rejects.toMatchObject({ code: 'upstream_timeout' });
    await expect(upstream.call('mint', () => Promise.reject(new UpstreamRefusedError('github', 'no access')))).rejects.toBeInstanceOf(
      UpstreamRefusedError,
    );
    const spans = await observed.spans();

    expect(onlySpan(spans, 'github slow').attributes).toMatchObject({ 'upstream.outcome': 'timeout', 'error.type': 'timeout' });
    expect(onlySpan(spans, 'github slow').status.code).toBe(SpanStatusCode.ERROR);
    expect(onlySpan(spans, 'github mint').attributes).toMatchObject({ 'upstream.outcome': 'refused', 'error.type': 'refused' });
    expect(exportedText(spans)).not.toContain('no access');
  });

  it('cover measured calls (Valkey) too, with the outcome the caller decides', async () => {
    const upstream = createUpstream({ name: 'valkey', timeoutMs: 1000, clock: createManualClock(0), tracer: observed.telemetry.tracing.upstreams });
    await upstream.measure('get', async () => 'value');
    await expect(upstream.measure('set', () => Promise.reject(new Error('timed out')), () => 'timeout')).rejects.toThrow();
    const spans = await observed.spans();

    expect(onlySpan(spans, 'valkey get').attributes['upstream.outcome']).toBe('ok');
    expect(onlySpan(spans, 'valkey set').attributes).toMatchObject({ 'upstream.outcome': 'timeout' });
  });
});

describe('HTTP client spans', () => {
  it('are children of the upstream span, record the URL without its query string, and fail on 4xx', async () => {
    await withServer(404, async (url) => {
      await tracedUpstream().call('contents', (signal) => tracedFetch(`${url}/repos/acme/widget?access_token=abc123`, { signal }));
      const spans = await observed.spans();
      const call = onlySpan(spans, 'github contents');
      const http = onlySpan(spans, 'GET');

      expect(http.parentSpanContext?.spanId).toBe(call.spanContext().spanId);
      expect(http.attributes).toMatchObject({
        'http.request.method': 'GET',
        'url.full': `${url}/repos/acme/widget`,
        'http.response.status_code': 404,
        'error.type': '404',
      });
      expect(http.status.code).toBe(SpanStatusCode.ERROR);
      expect(exportedText(spans)).not.toContain('abc123');
    });
  });

  it('fail with the transport error code when the connection is refused', async () => {
    const port = await closedPort();
    await expect(tracedFetch(`http://127.0.0.1:${port}/`, { method: 'post' })).rejects.toThrow();
    const http = onlySpan(await observed.spans(), 'POST');

    expect(http.attributes).toMatchObject({ 'http.request.method': 'POST', 'server.port': port, 'error.type': 'ECONNREFUSED' });
    expect(http.status.code).toBe(SpanStatusCode.ERROR);
  });

  it('keep the headers the caller set beside the trace context', async () => {
    const seen: Record<string, string | string[] | undefined>[] = [];
    const server = createHttpServer((req, res) => {
      seen.push(req.headers);
      res.end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    await tracedFetch(url, { headers: { accept: 'application/vnd.github+json' } });
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));

    expect(seen[0]).toMatchObject({ accept: 'application/vnd.github+json', traceparent: expect.stringMatching(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/) });
  });
});
