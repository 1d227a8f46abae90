import type { AuditEntry } from '../audit/audit-entry.js';
import type { VendObservation } from '../lib/observer.js';
import { clientClosedStatus } from './metrics-request-hooks.js';

/**
 * What metrics learn of a finished vending request, from its audit entry: the resolved
 * profile (`unknown` when the request never resolved one), the outcome, and a bounded
 * reason class — the error code of a denied or failed request, `client_closed` for a
 * client that hung up (always `failed`, even when a token had been issued), `http_<status>`
 * for a refusal without one (an empty profile segment), and `none` otherwise.
 */
export function vendObservationOf(route: string, audit: AuditEntry, status: number): VendObservation {
  const hungUp = status === clientClosedStatus;
  const outcome = hungUp ? 'failed' : (audit.outcome ?? 'failed');
  const reason =
    outcome === 'issued' || outcome === 'unmatched'
      ? 'none'
      : (audit.errorCode ?? (hungUp ? 'client_closed' : `http_${status}`));
  return { route, profile: audit.resolvedProfile ?? 'unknown', outcome, reason };
}
