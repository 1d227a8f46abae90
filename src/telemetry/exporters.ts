import type { PushMetricExporter } from '@opentelemetry/sdk-metrics';
import type { SpanExporter } from '@opentelemetry/sdk-trace-base';
import type { ObserveConfig } from '../config/observe-config.js';

/*
 * Each exporter is imported only when chosen: the gRPC ones bring @grpc/grpc-js, which a
 * service exporting over HTTP or to stdout never needs. The OTLP exporters read their
 * endpoint, headers, timeout, compression and TLS settings from the standard
 * OTEL_EXPORTER_OTLP_* environment themselves.
 */

/** The span exporter for `OBSERVE_TYPE`. */
export async function spanExporterFor(type: ObserveConfig['exporter']): Promise<SpanExporter> {
  switch (type) {
    case 'grpc':
      return new (await import('@opentelemetry/exporter-trace-otlp-grpc')).OTLPTraceExporter();
    case 'http':
      return new (await import('@opentelemetry/exporter-trace-otlp-proto')).OTLPTraceExporter();
    case 'stdout':
      return new (await import('@opentelemetry/sdk-trace-base')).ConsoleSpanExporter();
  }
}

/** The metric exporter for `OBSERVE_TYPE`. */
export async function metricExporterFor(type: ObserveConfig['exporter']): Promise<PushMetricExporter> {
  switch (type) {
    case 'grpc':
      return new (await import('@opentelemetry/exporter-metrics-otlp-grpc')).OTLPMetricExporter();
    case 'http':
      return new (await import('@opentelemetry/exporter-metrics-otlp-proto')).OTLPMetricExporter();
    case 'stdout':
      return new (await import('@opentelemetry/sdk-metrics')).ConsoleMetricExporter();
  }
}
