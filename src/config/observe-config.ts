import type { ParsedEnv } from './env-schema.js';

/** OpenTelemetry settings, Chinmina's `OBSERVE_*` variables. */
export interface ObserveConfig {
  readonly enabled: boolean;
  readonly exporter: 'grpc' | 'http' | 'stdout';
  readonly serviceName: string;
  readonly traceBatchTimeoutMs: number;
  /** OTLP metrics beside the traces. */
  readonly metricsEnabled: boolean;
  readonly metricReadIntervalMs: number;
  /** Client spans for outbound HTTP. */
  readonly httpTransportEnabled: boolean;
  /** Connection timing events on those client spans. */
  readonly connectionTraceEnabled: boolean;
  readonly sdkLogLevel: 'debug' | 'info' | 'warn' | 'error' | 'none';
}

export function observeConfig(values: ParsedEnv): ObserveConfig {
  return {
    enabled: values.OBSERVE_ENABLED,
    exporter: values.OBSERVE_TYPE,
    serviceName: values.OBSERVE_SERVICE_NAME,
    traceBatchTimeoutMs: values.OBSERVE_TRACE_BATCH_TIMEOUT_SECS * 1000,
    metricsEnabled: values.OBSERVE_METRICS_ENABLED,
    metricReadIntervalMs: values.OBSERVE_METRIC_READ_INTERVAL_SECS * 1000,
    httpTransportEnabled: values.OBSERVE_HTTP_TRANSPORT_ENABLED,
    connectionTraceEnabled: values.OBSERVE_CONNECTION_TRACE_ENABLED,
    sdkLogLevel: values.OBSERVE_OTEL_LOG_LEVEL,
  };
}
