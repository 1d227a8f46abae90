import { context, SpanKind, SpanStatusCode, trace, type Tracer } from '@opentelemetry/api';
import type { UpstreamTracer } from '../lib/upstream.js';

/**
 * A CLIENT span per upstream call, named `upstream operation` (`github installation token`),
 * a child of whatever span is active (the request's, or none for background work). It holds
 * the upstream, the operation and the outcome; never a URL, header or error text, which may
 * quote what the upstream sent.
 */
export function createUpstreamTracer(tracer: Tracer): UpstreamTracer {
  return (upstream, operation) => {
    const parent = context.active();
    const span = tracer.startSpan(
      `${upstream} ${operation}`,
      { kind: SpanKind.CLIENT, attributes: { 'upstream.name': upstream, 'upstream.operation': operation } },
      parent,
    );
    const active = trace.setSpan(parent, span);
    let ended = false;
    return {
      run: (work) => context.with(active, work),
      end(outcome) {
        if (ended) return;
        ended = true;
        span.setAttribute('upstream.outcome', outcome);
        if (outcome !== 'ok') {
          span.setAttribute('error.type', outcome);
          span.setStatus({ code: SpanStatusCode.ERROR });
        }
        span.end();
      },
    };
  };
}
