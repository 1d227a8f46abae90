import { context, diag, metrics, propagation, trace } from '@opentelemetry/api';
import { PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics';
import { NodeSDK } from '@opentelemetry/sdk-node';
import { BatchSpanProcessor } from '@opentelemetry/sdk-trace-base';
import type { ObserveConfig } from '../config/observe-config.js';
import { startConnectionTrace } from './connection-trace.js';
import { createDiagLogger, diagLevels, redactCredentials } from './diag-logger.js';
import { metricExporterFor, spanExporterFor } from './exporters.js';
import { createOtlpMetrics } from './otlp-metrics.js';
import { createRequestTracing } from './request-tracing.js';
import type { Telemetry, TelemetryOptions, Tracing } from './start-telemetry.js';
import { createTracedFetch } from './traced-fetch.js';
import { createUpstreamTracer } from './upstream-tracer.js';

/** The name spans and metrics are reported under (the instrumentation scope). */
const scopeName = 'token-bridge';

/**
 * Starts the OpenTelemetry Node SDK: the exporter `OBSERVE_TYPE` names behind a batch span
 * processor flushing every `OBSERVE_TRACE_BATCH_TIMEOUT_SECS`, a periodic metric reader when
 * metrics are on, `service.name` from `OBSERVE_SERVICE_NAME` over the detected resource
 * (the SDK's env, process and host detectors unless `OTEL_NODE_RESOURCE_DETECTORS` names
 * others), W3C trace context and baggage propagators (or `OTEL_PROPAGATORS`; baggage is
 * extracted but never sent on, see `traced-fetch.ts`), an AsyncLocalStorage context manager,
 * and the SDK's diagnostics in the service log. No instrumentation library is loaded: the
 * spans are ours.
 */
export async function startSdk(config: ObserveConfig, options: TelemetryOptions): Promise<Telemetry> {
  const { sdk, spanProcessor, metricReader } = await createSdk(config, options);
  // After the SDK's constructor, which installs a console logger when OTEL_LOG_LEVEL is set.
  diag.setLogger(createDiagLogger(options.logger, config.sdkLogLevel), {
    logLevel: diagLevels[config.sdkLogLevel],
    suppressOverrideMessage: true,
  });
  sdk.start();
  const tracer = trace.getTracer(scopeName);
  const connections = config.httpTransportEnabled && config.connectionTraceEnabled ? startConnectionTrace(options.clock) : undefined;
  const tracing: Tracing = {
    requests: createRequestTracing(tracer),
    upstreams: createUpstreamTracer(tracer),
    ...(config.httpTransportEnabled && {
      traceFetch: (fetch) => createTracedFetch(fetch, { tracer, ...(connections && { onSpan: connections.track }) }),
    }),
  };
  const stop = async () => {
    connections?.stop();
    try {
      await sdk.shutdown();
    } catch (error) {
      const reason = error instanceof Error ? redactCredentials(error.message) : 'unknown';
      options.logger.warn({ reason }, 'telemetry shutdown failed: some spans or metrics were not exported');
    }
    // Unregistered so that a later start in the same process (a test) can register again.
    for (const api of [trace, context, propagation, metrics, diag]) api.disable();
  };
  let stopped: Promise<void> | undefined;
  return {
    tracing,
    ...(metricReader && { metrics: createOtlpMetrics(metrics.getMeter(scopeName), options.clock) }),
    flush: async () => {
      await Promise.all([spanProcessor.forceFlush(), metricReader?.forceFlush()]);
    },
    shutdown: () => (stopped ??= stop()),
  };
}

/** The SDK with its span processor and, when metrics are on, its metric reader; not started. */
async function createSdk(config: ObserveConfig, options: TelemetryOptions) {
  const spanProcessor = new BatchSpanProcessor(options.spanExporter ?? (await spanExporterFor(config.exporter)), {
    scheduledDelayMillis: config.traceBatchTimeoutMs,
  });
  const metricReader = config.metricsEnabled
    ? new PeriodicExportingMetricReader({
        exporter: options.metricExporter ?? (await metricExporterFor(config.exporter)),
        exportIntervalMillis: config.metricReadIntervalMs,
        exportTimeoutMillis: Math.min(30_000, config.metricReadIntervalMs),
      })
    : undefined;
  const sdk = new NodeSDK({
    serviceName: config.serviceName,
    spanProcessors: [spanProcessor],
    metricReaders: metricReader ? [metricReader] : [],
    // The service sends no logs through OpenTelemetry; without this the SDK would set up an OTLP log exporter.
    logRecordProcessors: [],
    instrumentations: [],
  });
  return { sdk, spanProcessor, metricReader };
}
