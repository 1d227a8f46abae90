import { createRequire } from 'node:module';
import { pino, type DestinationStream, type Logger } from 'pino';

/** The paths and values that must never reach a log line. */
const redactedPaths = ['token', '*.token', 'password', '*.password', 'authorization', '*.authorization', 'headers.authorization'];

/**
 * The process logger: JSON at info, or human-readable at debug with `ENV=development`.
 * `time` is ISO 8601 in UTC either way, as on the audit records sharing the same stdout.
 * The pretty printer is loaded only for development (it is a CommonJS package, so it can
 * be required where it is needed): a production start-up does not pay for it.
 */
export function createLogger(development: boolean, destination: DestinationStream): Logger {
  const options = {
    level: development ? 'debug' : 'info',
    redact: { paths: redactedPaths, censor: '[redacted]' },
    timestamp: pino.stdTimeFunctions.isoTime,
  };
  if (!development) return pino(options, destination);
  const { PinoPretty } = createRequire(import.meta.url)('pino-pretty') as typeof import('pino-pretty');
  return pino(options, PinoPretty({ destination, sync: true, translateTime: "UTC:yyyy-mm-dd'T'HH:MM:ss.l'Z'" }));
}
