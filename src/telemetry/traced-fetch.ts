import { context, propagation, SpanKind, SpanStatusCode, trace, type Span, type TextMapSetter, type Tracer } from '@opentelemetry/api';
import {
  ATTR_ERROR_TYPE,
  ATTR_HTTP_REQUEST_METHOD,
  ATTR_HTTP_RESPONSE_STATUS_CODE,
  ATTR_SERVER_ADDRESS,
  ATTR_SERVER_PORT,
  ATTR_URL_FULL,
} from '@opentelemetry/semantic-conventions';
import type { Fetch } from '../lib/upstream.js';

const headerSetter: TextMapSetter<Headers> = { set: (headers, key, value) => headers.set(key, value) };

export interface TracedFetchOptions {
  readonly tracer: Tracer;
  /** Told about every HTTP span, so connection timing can be added to it. */
  readonly onSpan?: (span: Span) => void;
}

/**
 * Wraps `fetch` so every outbound request gets an HTTP CLIENT span (method, URL without
 * query string or credentials, status) and carries the trace context in its headers, so
 * the callee continues the trace. Baggage never goes out: a caller's `baggage` header is
 * extracted with its trace context, and forwarding it would let any caller put headers of
 * its choosing on our requests to GitHub and Buildkite. A status of 400 or more marks the
 * span failed. Request and response headers are never recorded.
 */
export function createTracedFetch(fetch: Fetch, options: TracedFetchOptions): Fetch {
  const { tracer } = options;
  return async (input, init) => {
    const target = requestTarget(input, init);
    const parent = context.active();
    const span = tracer.startSpan(
      target.method,
      {
        kind: SpanKind.CLIENT,
        attributes: {
          [ATTR_HTTP_REQUEST_METHOD]: target.method,
          [ATTR_URL_FULL]: target.url,
          [ATTR_SERVER_ADDRESS]: target.host,
          [ATTR_SERVER_PORT]: target.port,
        },
      },
      parent,
    );
    options.onSpan?.(span);
    const active = trace.setSpan(parent, span);
    const headers = new Headers(init?.headers ?? requestOf(input)?.headers);
    propagation.inject(propagation.deleteBaggage(active), headers, headerSetter);
    try {
      const response = await context.with(active, () => fetch(input, { ...init, headers }));
      span.setAttribute(ATTR_HTTP_RESPONSE_STATUS_CODE, response.status);
      if (response.status >= 400) {
        span.setAttribute(ATTR_ERROR_TYPE, String(response.status));
        span.setStatus({ code: SpanStatusCode.ERROR });
      }
      return response;
    } catch (error) {
      span.setAttribute(ATTR_ERROR_TYPE, errorType(error));
      span.setStatus({ code: SpanStatusCode.ERROR });
      throw error;
    } finally {
      span.end();
    }
  };
}

interface RequestTarget {
  readonly method: string;
  /** Scheme, host, port and path: no user info, query string or fragment. */
  readonly url: string;
  readonly host: string;
  readonly port: number;
}

/** The input when it is a Request object rather than a URL. */
function requestOf(input: Parameters<Fetch>[0]): Request | undefined {
  return typeof input === 'string' || input instanceof URL ? undefined : input;
}

function requestTarget(input: Parameters<Fetch>[0], init: Parameters<Fetch>[1]): RequestTarget {
  const request = requestOf(input);
  const parsed = new URL(request?.url ?? String(input));
  const method = (init?.method ?? request?.method ?? 'GET').toUpperCase();
  const defaultPort = parsed.protocol === 'https:' ? 443 : 80;
  return {
    method,
    url: `${parsed.protocol}//${parsed.host}${parsed.pathname}`,
    host: parsed.hostname,
    port: parsed.port === '' ? defaultPort : Number(parsed.port),
  };
}

/** A transport error's code (`ECONNREFUSED`) or class name; never its message. */
function errorType(error: unknown): string {
  let candidate: unknown = error;
  for (let depth = 0; depth < 4 && candidate instanceof Error; depth += 1) {
    if ('code' in candidate && typeof candidate.code === 'string') return candidate.code;
    candidate = candidate.cause;
  }
  return error instanceof Error ? error.name : 'unknown';
}
