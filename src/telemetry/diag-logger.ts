import { DiagLogLevel, type DiagLogger } from '@opentelemetry/api';
import type { Logger } from 'pino';
import type { ObserveConfig } from '../config/observe-config.js';

/** `OBSERVE_OTEL_LOG_LEVEL` as the SDK's diagnostic level. */
export const diagLevels: Readonly<Record<ObserveConfig['sdkLogLevel'], DiagLogLevel>> = {
  debug: DiagLogLevel.DEBUG,
  info: DiagLogLevel.INFO,
  warn: DiagLogLevel.WARN,
  error: DiagLogLevel.ERROR,
  none: DiagLogLevel.NONE,
};

/*
 * Credentials an SDK message could quote: an exporter's `Authorization` or API-key header
 * from OTEL_EXPORTER_OTLP_HEADERS, a bearer token, or user info in an endpoint URL.
 */
const credentialPatterns: readonly [RegExp, string][] = [
  [
    /\b(authorization|[\w-]*api[-_]?key|[\w-]*token|password|secret)(["']?\s*[:=]\s*["']?)(?:(?:bearer|basic)\s+)?[^\s,;"'}]+/gi,
    '$1$2[redacted]',
  ],
  [/\b(bearer|basic)\s+(?!\[redacted\])[^\s,;"']+/gi, '$1 [redacted]'],
  [/\/\/[^/\s:@]+:[^/\s@]+@/g, '//[redacted]@'],
];

/** `text` with anything that looks like a credential replaced by `[redacted]`. */
export function redactCredentials(text: string): string {
  return credentialPatterns.reduce((current, [pattern, replacement]) => current.replace(pattern, replacement), text);
}

/**
 * Routes the OpenTelemetry SDK's own diagnostics to the service log, tagged
 * `source: "otel"`, at `level` whatever the service log's own level (so
 * `OBSERVE_OTEL_LOG_LEVEL=debug` shows the SDK's debug lines in a production log). Only the
 * message and, for an error argument, its class, code and message are kept (other
 * arguments may be whole configuration objects), all with credentials redacted.
 */
export function createDiagLogger(logger: Logger, level: ObserveConfig['sdkLogLevel']): DiagLogger {
  const log = logger.child({ source: 'otel' }, { level: level === 'none' ? 'silent' : level });
  const at =
    (level: 'error' | 'warn' | 'info' | 'debug' | 'trace') =>
    (message: string, ...args: unknown[]) => {
      const serialized = serializedError(message);
      const errors = args.filter((arg): arg is Error => arg instanceof Error).map(describeError);
      if (serialized !== undefined) errors.unshift(serialized);
      const text = serialized === undefined ? message : `${serialized.type}: ${serialized.message}`;
      log[level](errors.length > 0 ? { errors } : {}, redactCredentials(text));
    };
  return { error: at('error'), warn: at('warn'), info: at('info'), debug: at('debug'), verbose: at('trace') };
}

function describeError(error: Error): { type: string; code?: string; message: string } {
  const code = 'code' in error && (typeof error.code === 'string' || typeof error.code === 'number') ? String(error.code) : undefined;
  return { type: error.name, ...(code !== undefined && { code }), message: redactCredentials(error.message) };
}

/**
 * The SDK's global error handler logs an exception as JSON text (stack included). Read
 * back into class, code and message, so a log line carries no stack and no JSON-in-JSON.
 */
function serializedError(message: string): ReturnType<typeof describeError> | undefined {
  if (!message.startsWith('{')) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(message);
  } catch {
    return undefined; // not the handler's JSON: logged as the text it is
  }
  if (typeof parsed !== 'object' || parsed === null || !('message' in parsed) || typeof parsed.message !== 'string') {
    return undefined;
  }
  const error = Object.assign(new Error(parsed.message), {
    name: 'name' in parsed && typeof parsed.name === 'string' ? parsed.name : 'Error',
    ...('code' in parsed && { code: parsed.code }),
  });
  return describeError(error);
}
