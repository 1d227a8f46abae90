import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../support/harness.js';
import { postToken } from '../support/requests.js';
import { exportedText, hasServerSpan, onlySpan, startTestTelemetry, type TestTelemetry } from './telemetry-fixtures.js';

let observed: TestTelemetry;
let harness: Harness;
beforeAll(async () => {
  observed = await startTestTelemetry();
});
afterAll(async () => {
  await observed.telemetry.shutdown();
});
beforeEach(async () => {
  harness = await startHarness({ telemetry: observed.telemetry });
  await observed.reset();
});
afterEach(async () => {
  await harness.close();
});

const idOf = (span: ReadableSpan) => span.spanContext().spanId;
const traceOf = (span: ReadableSpan) => span.spanContext().traceId;
const upstreamSpan = (spans: readonly ReadableSpan[], upstream: string) => {
  const found = spans.filter((span) => span.attributes['upstream.name'] === upstream);
  expect(found).toHaveLength(1);
  return found[0] as ReadableSpan;
};

/** A /token request and every span it produced. */
async function tokenRequest(url = '/token', headers: Record<string, string> = {}) {
  const oidc = await harness.token();
  const response = await harness.app.inject({ method: 'POST', url, headers: { authorization: `Bearer ${oidc}`, ...headers } });
  const spans = await observed.spans(hasServerSpan);
  const server = spans.find((span) => span.kind === SpanKind.SERVER) as ReadableSpan;
  return { oidc, response, spans, server };
}

describe('tracing through the real application', () => {
  describe('a /token request', () => {
    it('is one SERVER span named after its route, with the request line, the status and the pipeline identity', async () => {
      const { response, spans, server } = await tokenRequest();

      expect(response.statusCode).toBe(200);
      expect(spans.filter((span) => span.kind === SpanKind.SERVER)).toHaveLength(1);
      expect(server.name).toBe('POST /token');
      expect(server.status.code).toBe(SpanStatusCode.UNSET);
      expect(server.attributes).toMatchObject({
        'http.request.method': 'POST',
        'http.route': '/token',
        'url.path': '/token',
        'http.response.status_code': 200,
        'token_bridge.request_id': response.headers['x-request-id'],
        'buildkite.organization_slug': 'acme',
        'buildkite.pipeline_slug': 'widget',
        'buildkite.job_id': expect.any(String),
        'buildkite.build_number': expect.any(Number),
        'buildkite.build_branch': expect.any(String),
      });
      expect(server.resource.attributes['service.name']).toBe('token-bridge-test');
    });

    it('has the Buildkite lookup and the GitHub mint as CLIENT children, each with its HTTP request below it', async () => {
      const { spans, server } = await tokenRequest();
      const buildkite = upstreamSpan(spans, 'buildkite');
      const github = upstreamSpan(spans, 'github');

      for (const call of [buildkite, github]) {
        expect(call.kind).toBe(SpanKind.CLIENT);
        expect(call.parentSpanContext?.spanId).toBe(idOf(server));
        expect(call.attributes['upstream.outcome']).toBe('ok');
        const http = spans.filter((span) => span.parentSpanContext?.spanId === idOf(call));
        expect(http).toHaveLength(1);
        expect(http[0]?.kind).toBe(SpanKind.CLIENT);
      }
      expect(buildkite.name).toBe('buildkite pipeline lookup');
      expect(github.name).toBe('github installation token');
      const mintRequest = spans.find((span) => span.parentSpanContext?.spanId === idOf(github));
      expect(mintRequest?.name).toBe('POST');
      expect(mintRequest?.attributes).toMatchObject({
        'http.request.method': 'POST',
        'url.full': `${harness.world.github.url}/app/installations/5678/access_tokens`,
        'server.address': '127.0.0.1',
        'http.response.status_code': 201,
      });
      expect(new Set(spans.map(traceOf))).toEqual(new Set([traceOf(server)]));
    });

    it('sends the trace context to GitHub: the stand-in sees the HTTP span as its parent', async () => {
      const { spans, server } = await tokenRequest();
      const github = upstreamSpan(spans, 'github');
      const mintRequest = spans.find((span) => span.parentSpanContext?.spanId === idOf(github)) as ReadableSpan;

      const received = harness.world.github.requestHeaders.at(-1);
      expect(received?.traceparent).toBe(`00-${traceOf(server)}-${idOf(mintRequest)}-01`);
    });

    it('records on each HTTP span whether its connection was reused and when headers went and came back', async () => {
      const { spans } = await tokenRequest();
      const http = spans.filter((span) => span.attributes['url.full'] !== undefined);
      const lookupRequest = spans.find((span) => span.parentSpanContext?.spanId === idOf(upstreamSpan(spans, 'buildkite')));

      expect(http.length).toBeGreaterThanOrEqual(2);
      for (const span of http) {
        expect(span.attributes['http.connection.reused']).toEqual(expect.any(Boolean));
        expect(span.events.map((event) => event.name)).toEqual(
          expect.arrayContaining(['request headers sent', 'response headers received']),
        );
      }
      // The first request to this harness's fresh Buildkite stand-in opens a connection (the
      // GitHub stand-in's was opened at start-up, to learn the default installation's account).
      expect(lookupRequest?.attributes['http.connection.reused']).toBe(false);
      expect(lookupRequest?.events.map((event) => event.name)).toEqual([
        'connection established',
        'request headers sent',
        'response headers received',
      ]);
    });

    it('puts neither the OIDC token, the vended token, the App JWT nor the Buildkite API token in any span', async () => {
      const { oidc, response, spans } = await tokenRequest();
      const vended = (response.json<{ token: string }>()).token;
      const appJwt = harness.world.github.mints.at(-1)?.appJwt ?? 'no mint';
      const text = exportedText(spans);

      expect(text).toContain('widget');
      for (const secret of [oidc, vended, appJwt, harness.config.buildkite.apiToken]) {
        expect(text).not.toContain(secret);
      }
    });
  });

  describe('when the caller sends a traceparent', () => {
    it("continues the caller's trace, with the caller's span as the parent", async () => {
      const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
      const callerSpanId = '00f067aa0ba902b7';
      const { server, spans } = await tokenRequest('/token', { traceparent: `00-${traceId}-${callerSpanId}-01` });

      expect(traceOf(server)).toBe(traceId);
      expect(server.parentSpanContext?.spanId).toBe(callerSpanId);
      expect(server.parentSpanContext?.isRemote).toBe(true);
      expect(new Set(spans.map(traceOf))).toEqual(new Set([traceId]));
    });

    it("passes the trace context on to GitHub, but never the caller's baggage", async () => {
      const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
      const { response } = await tokenRequest('/token', {
        traceparent: `00-${traceId}-00f067aa0ba902b7-01`,
        baggage: 'internal.secret=caller-chosen-value',
      });

      expect(response.statusCode).toBe(200);
      const received = harness.world.github.requestHeaders.at(-1);
      expect(received?.traceparent).toMatch(new RegExp(`^00-${traceId}-[0-9a-f]{16}-01$`));
      expect(received?.baggage).toBeUndefined();
      expect(JSON.stringify(harness.world.github.requestHeaders)).not.toContain('caller-chosen-value');
    });
  });

  describe('on a profile route', () => {
    it('names the span after the template, not the profile asked for', async () => {
      const { response, server } = await tokenRequest('/token/repo:default');

      expect(response.statusCode).toBe(200);
      expect(server.name).toBe('POST /token/{profile}');
      expect(server.attributes['http.route']).toBe('/token/{profile}');
    });
  });

  describe('when GitHub fails', () => {
    it('marks the GitHub call and the 502 server span failed', async () => {
      harness.world.github.failNext(401); // not retried: one GitHub span
      const { response, spans, server } = await tokenRequest();
      const github = upstreamSpan(spans, 'github');

      expect(response.statusCode).toBe(502);
      expect(server.status.code).toBe(SpanStatusCode.ERROR);
      expect(server.attributes).toMatchObject({ 'http.response.status_code': 502, 'error.type': '502' });
      expect(github.status.code).toBe(SpanStatusCode.ERROR);
      expect(github.attributes).toMatchObject({ 'upstream.outcome': 'failed', 'error.type': 'failed' });
    });
  });

  describe('when the caller is not authenticated', () => {
    it('answers 401 with a span that holds no pipeline identity and is not failed', async () => {
      const response = await postToken(harness.app, '/token', 'not-a-jwt');
      const server = onlySpan(await observed.spans(hasServerSpan), 'POST /token');

      expect(response.statusCode).toBe(401);
      expect(server.status.code).toBe(SpanStatusCode.UNSET);
      expect(Object.keys(server.attributes).filter((key) => key.startsWith('buildkite.'))).toEqual([]);
      expect(exportedText([server])).not.toContain('not-a-jwt');
    });
  });

  describe('probes', () => {
    it('give /healthcheck and /livez no span', async () => {
      expect((await harness.app.inject({ method: 'GET', url: '/healthcheck' })).statusCode).toBe(200);
      expect((await harness.app.inject({ method: 'GET', url: '/livez' })).statusCode).toBe(200);
      await postToken(harness.app, '/token', 'not-a-jwt');

      const spans = await observed.spans(hasServerSpan);
      expect(spans.map((span) => span.name)).toEqual(['POST /token']);
    });

    it('give a method the vending paths do not take (405) no span', async () => {
      const refused = await harness.app.inject({ method: 'GET', url: '/token/repo:default' });
      expect(refused.statusCode).toBe(405);
      await postToken(harness.app, '/token', 'not-a-jwt');

      const spans = await observed.spans(hasServerSpan);
      expect(spans.map((span) => span.name)).toEqual(['POST /token']);
    });
  });
});
