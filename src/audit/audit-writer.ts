import type { DestinationStream } from 'pino';
import type { Clock } from '../lib/clock.js';
import type { AuditEntry } from './audit-entry.js';
import { auditLineOf } from './audit-line.js';

/** Writes audit records. */
export type AuditWriter = (entry: AuditEntry, status: number) => void;

/**
 * One JSON line per record (`"level":30`, `"msg":"audit_event"`), written to `destination`
 * whatever the log level, so no log-level setting can silence it. The line is rendered
 * by {@link auditLineOf}, with no logger in between.
 */
export function createAuditWriter(destination: DestinationStream, clock: Clock): AuditWriter {
  // Under load many lines share a millisecond, so the line's time is remembered too.
  const isoTimeOf = rememberedIsoTimes();
  return (entry, status) => destination.write(auditLineOf(entry, status, clock.nowMs(), isoTimeOf));
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
