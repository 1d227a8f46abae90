import { setTimeout as delay } from 'node:timers/promises';
import { SpanKind } from '@opentelemetry/api';
import { AggregationTemporality, InMemoryMetricExporter } from '@opentelemetry/sdk-metrics';
import { InMemorySpanExporter, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { pino } from 'pino';
import type { ObserveConfig } from '../../src/config/observe-config.js';
import { startTelemetry, type Telemetry } from '../../src/telemetry/start-telemetry.js';
import { captureLines, type CapturedLines } from '../support/capture-stream.js';

/** `OBSERVE_*` as a service with everything on would have it, except for the exporter. */
export const observeEverything: ObserveConfig = {
  enabled: true,
  exporter: 'stdout',
  serviceName: 'token-bridge-test',
  // Long: the tests flush on their own, so a span reaching the exporter early proves nothing.
  traceBatchTimeoutMs: 60_000,
  metricsEnabled: true,
  metricReadIntervalMs: 60_000,
  httpTransportEnabled: true,
  connectionTraceEnabled: true,
  sdkLogLevel: 'warn',
};

/** A real SDK whose exporters keep what they are given, and the log its diagnostics go to. */
export interface TestTelemetry {
  readonly telemetry: Telemetry;
  readonly spanExporter: InMemorySpanExporter;
  readonly metricExporter: InMemoryMetricExporter;
  readonly logs: CapturedLines;
  /** Flushes, then answers the finished spans once `ready` holds for them (at most ~2 s). */
  spans(ready?: (spans: ReadableSpan[]) => boolean): Promise<ReadableSpan[]>;
  /** Flushes and forgets everything exported so far. */
  reset(): Promise<void>;
}

export async function startTestTelemetry(config: Partial<ObserveConfig> = {}): Promise<TestTelemetry> {
  const spanExporter = new InMemorySpanExporter();
  const metricExporter = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
  const logs = captureLines();
  const telemetry = await startTelemetry(
    { ...observeEverything, ...config },
    { logger: pino({ level: 'debug' }, logs.stream), clock: { nowMs: () => Date.now() }, spanExporter, metricExporter },
  );
  if (telemetry === undefined) throw new Error('telemetry did not start');
  const spans = async (ready: (spans: ReadableSpan[]) => boolean = () => true) => {
    for (let attempt = 0; ; attempt += 1) {
      await telemetry.flush();
      const finished = spanExporter.getFinishedSpans();
      if (ready(finished) || attempt === 40) return finished;
      // A server span ends on fastify's onResponse, which may run just after inject() resolves.
      await delay(50);
    }
  };
  return {
    telemetry,
    spanExporter,
    metricExporter,
    logs,
    spans,
    reset: async () => {
      await telemetry.flush();
      spanExporter.reset();
      metricExporter.reset();
    },
  };
}

/** The one span named `name`; throws when there is none or more than one. */
export function onlySpan(spans: readonly ReadableSpan[], name: string): ReadableSpan {
  const found = spans.filter((span) => span.name === name);
  const [span] = found;
  if (found.length !== 1 || span === undefined) {
    throw new Error(`expected one span named ${name}, found ${found.length}: ${spans.map((s) => s.name).join(', ')}`);
  }
  return span;
}

/** True once a SERVER span has ended. */
export const hasServerSpan = (spans: readonly ReadableSpan[]) => spans.some((span) => span.kind === SpanKind.SERVER);

/** Everything a span exports, as text: for "this secret appears nowhere" checks. */
export function exportedText(spans: readonly ReadableSpan[]): string {
  return JSON.stringify(
    spans.map((span) => ({
      name: span.name,
      attributes: span.attributes,
      events: span.events,
      status: span.status,
      resource: span.resource.attributes,
      links: span.links,
    })),
  );
}
