import type { Logger } from 'pino';
import type { PushMetricExporter } from '@opentelemetry/sdk-metrics';
import type { SpanExporter } from '@opentelemetry/sdk-trace-base';
import type { ObserveConfig } from '../config/observe-config.js';
import type { RequestTracing } from '../http/tracing-hooks.js';
import type { Clock } from '../lib/clock.js';
import type { Fetch, UpstreamTracer } from '../lib/upstream.js';
import type { OtlpMetrics } from './otlp-metrics.js';

/** What the rest of the service receives when tracing is on: one port per layer. */
export interface Tracing {
  /** SERVER spans for the HTTP layer. */
  readonly requests: RequestTracing;
  /** CLIENT spans around every upstream call. */
  readonly upstreams: UpstreamTracer;
  /** With `OBSERVE_HTTP_TRANSPORT_ENABLED`: wraps outbound HTTP in client spans that carry the trace context. */
  readonly traceFetch?: (fetch: Fetch) => Fetch;
}

/** A started OpenTelemetry SDK. */
export interface Telemetry {
  readonly tracing: Tracing;
  /** OTLP metrics; absent with `OBSERVE_METRICS_ENABLED=false`. */
  readonly metrics?: OtlpMetrics;
  /** Exports the spans and metrics gathered so far. */
  flush(): Promise<void>;
  /**
   * Flushes, stops the exporters and unregisters the SDK from the OpenTelemetry API. Never
   * throws: a failure is logged. Idempotent.
   */
  shutdown(): Promise<void>;
}

export interface TelemetryOptions {
  readonly logger: Logger;
  /** For connection timing and profile ages. */
  readonly clock: Clock;
  /** Replaces the exporter `OBSERVE_TYPE` picks (tests use the SDK's in-memory exporter). */
  readonly spanExporter?: SpanExporter;
  /** Replaces the metric exporter `OBSERVE_TYPE` picks. */
  readonly metricExporter?: PushMetricExporter;
}

/**
 * Starts OpenTelemetry when `OBSERVE_ENABLED` is on, else answers `undefined` having loaded
 * nothing: the SDK is imported here, on demand, so a service without telemetry never loads
 * it, registers no global and creates no span. Only one SDK can be registered in a
 * process at a time; shut one down before starting another. Throws when the SDK cannot
 * be started (the service then fails to start, as on any configuration error).
 */
export async function startTelemetry(config: ObserveConfig, options: TelemetryOptions): Promise<Telemetry | undefined> {
  if (!config.enabled) return undefined;
  const { startSdk } = await import('./telemetry-sdk.js');
  return startSdk(config, options);
}
