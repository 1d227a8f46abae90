import { pino, type DestinationStream } from 'pino';
import type { Clock } from '../lib/clock.js';
import type { AuditEntry } from './audit-entry.js';

/** Writes audit records. */
export type AuditWriter = (entry: AuditEntry, status: number) => void;

/**
 * One JSON line per record (`"msg":"audit_event"`), on its own logger fixed at `info`,
 * so no log-level setting can silence it.
 */
export function createAuditWriter(destination: DestinationStream, clock: Clock): AuditWriter {
  const logger = pino(
    { level: 'info', base: null, timestamp: () => `,"time":"${new Date(clock.nowMs()).toISOString()}"` },
    destination,
  );
  return (entry, status) => logger.info(entry.render(status, clock.nowMs()), 'audit_event');
}
