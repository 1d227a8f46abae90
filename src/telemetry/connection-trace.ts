import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { context, trace, type Span } from '@opentelemetry/api';
import type { Clock } from '../lib/clock.js';

/** Connection timing for the HTTP client spans of {@link createTracedFetch}. */
export interface ConnectionTrace {
  /** Marks `span` as an HTTP client span whose undici request gets connection events. */
  track(span: Span): void;
  /** Unsubscribes from undici's channels. */
  stop(): void;
}

interface UndiciRequestMessage {
  readonly request: object;
}
interface UndiciSocketMessage {
  readonly socket: object;
}

/**
 * Adds connection events to HTTP client spans from undici's diagnostics channels (both
 * Node's built-in fetch and the `undici` package publish them): whether the request reused
 * a pooled connection, when a new connection was established, when the request headers
 * were written and when the response headers arrived (time to first byte). A request is
 * tied to its span when undici creates it, inside the span's context; connection set-up is
 * tied to the socket the request is then written to. DNS and TLS are not reported apart:
 * undici publishes only the whole connect. Only timings and the peer address are recorded,
 * never a header.
 */
export function startConnectionTrace(clock: Clock): ConnectionTrace {
  const tracked = new WeakSet<Span>();
  const spans = new WeakMap<object, Span>();
  const connectedAtMs = new WeakMap<object, number>();
  const usedSockets = new WeakSet<object>();

  const handlers: Record<string, (message: unknown) => void> = {
    'undici:request:create': (message) => {
      const span = trace.getSpan(context.active());
      if (span !== undefined && tracked.has(span) && hasRequest(message)) spans.set(message.request, span);
    },
    'undici:client:connected': (message) => {
      if (hasSocket(message)) connectedAtMs.set(message.socket, clock.nowMs());
    },
    'undici:client:sendHeaders': (message) => {
      const span = hasRequest(message) ? spans.get(message.request) : undefined;
      if (span === undefined || !hasSocket(message)) return;
      const reused = usedSockets.has(message.socket);
      usedSockets.add(message.socket);
      span.setAttribute('http.connection.reused', reused);
      const establishedMs = connectedAtMs.get(message.socket);
      if (!reused && establishedMs !== undefined) span.addEvent('connection established', {}, establishedMs);
      span.addEvent('request headers sent');
    },
    'undici:request:headers': (message) => {
      if (hasRequest(message)) spans.get(message.request)?.addEvent('response headers received');
    },
  };
  for (const [name, handler] of Object.entries(handlers)) subscribe(name, handler);
  return {
    track: (span) => tracked.add(span),
    stop: () => {
      for (const [name, handler] of Object.entries(handlers)) unsubscribe(name, handler);
    },
  };
}

function hasRequest(message: unknown): message is UndiciRequestMessage {
  return isObject(message) && 'request' in message && isObject(message.request);
}

function hasSocket(message: unknown): message is UndiciSocketMessage {
  return isObject(message) && 'socket' in message && isObject(message.socket);
}

function isObject(value: unknown): value is object {
  return typeof value === 'object' && value !== null;
}
