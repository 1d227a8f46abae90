import { context, createContextKey, propagation, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, type Span, type Tracer } from '@opentelemetry/api';
import {
  ATTR_ERROR_TYPE,
  ATTR_HTTP_REQUEST_METHOD,
  ATTR_HTTP_RESPONSE_STATUS_CODE,
  ATTR_HTTP_ROUTE,
  ATTR_URL_PATH,
  ATTR_URL_SCHEME,
  ATTR_USER_AGENT_ORIGINAL,
} from '@opentelemetry/semantic-conventions';
import type { RequestTracing, ServerSpan, TracedRequest } from '../http/tracing-hooks.js';
import type { BuildkiteClaims } from '../oidc/buildkite-claims.js';

/** Where the request's server span sits in the context, whatever child span is active. */
const requestSpanKey = createContextKey('token-bridge request span');

/**
 * Server spans named `METHOD /route/{param}`, continuing the caller's W3C trace context.
 * Attributes are the request line, the route and the answer; headers other than the trace
 * context are never read, so the Authorization header cannot reach a span.
 */
export function createRequestTracing(tracer: Tracer): RequestTracing {
  return {
    startRequest: (request) => startServerSpan(tracer, request),
    recordCaller(claims) {
      const span = context.active().getValue(requestSpanKey);
      if (isSpan(span)) span.setAttributes(callerAttributes(claims));
    },
  };
}

function startServerSpan(tracer: Tracer, request: TracedRequest): ServerSpan {
  const parent = propagation.extract(ROOT_CONTEXT, request.headers);
  const span = tracer.startSpan(
    `${request.method} ${request.route}`,
    {
      kind: SpanKind.SERVER,
      attributes: {
        [ATTR_HTTP_REQUEST_METHOD]: request.method,
        [ATTR_HTTP_ROUTE]: request.route,
        [ATTR_URL_PATH]: request.path,
        [ATTR_URL_SCHEME]: request.scheme,
        'token_bridge.request_id': request.requestId,
        ...(request.userAgent !== undefined && { [ATTR_USER_AGENT_ORIGINAL]: request.userAgent }),
      },
    },
    parent,
  );
  const active = trace.setSpan(parent, span).setValue(requestSpanKey, span);
  let ended = false;
  return {
    activate: (next) => context.with(active, next),
    end(statusCode) {
      if (ended) return;
      ended = true;
      if (statusCode === undefined) {
        span.setStatus({ code: SpanStatusCode.ERROR, message: 'client closed the connection before the response' });
      } else {
        span.setAttribute(ATTR_HTTP_RESPONSE_STATUS_CODE, statusCode);
        // A server span fails on 5xx only: a 4xx is the caller's problem, not ours.
        if (statusCode >= 500) {
          span.setAttribute(ATTR_ERROR_TYPE, String(statusCode));
          span.setStatus({ code: SpanStatusCode.ERROR });
        }
      }
      span.end();
    },
  };
}

/** The pipeline identity Chinmina records on its spans, under Chinmina's attribute names. */
function callerAttributes(claims: BuildkiteClaims) {
  return {
    'buildkite.organization_slug': claims.organizationSlug,
    'buildkite.pipeline_slug': claims.pipelineSlug,
    'buildkite.job_id': claims.jobId,
    'buildkite.build_number': claims.buildNumber,
    'buildkite.build_branch': claims.buildBranch,
  };
}

function isSpan(value: unknown): value is Span {
  return typeof value === 'object' && value !== null && 'setAttributes' in value && 'spanContext' in value;
}
