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
  // Under load many lines share a millisecond, so the line's time is remembered too.
  const isoTimeOf = rememberedIsoTimes();
  const logger = pino({ level: 'info', base: null, timestamp: () => `,"time":"${isoTimeOf(clock.nowMs())}"` }, destination);
  return (entry, status) => logger.info(entry.render(status, clock.nowMs(), isoTimeOf), 'audit_event');
}

/**
 * `new Date(ms).toISOString()`, remembering recent answers: a job's OIDC token and a cached
 * GitHub token expire at the same moment request after request.
 */
function rememberedIsoTimes(): (ms: number) => string {
  const remembered = new Map<number, string>();
  return (ms) => {
    let iso = remembered.get(ms);
    if (iso === undefined) {
      if (remembered.size >= 256) remembered.clear();
      iso = new Date(ms).toISOString();
      remembered.set(ms, iso);
    }
    return iso;
  };
}
