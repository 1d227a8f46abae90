import type { FastifyRequest } from 'fastify';
import type { AuditEntry } from '../audit/audit-entry.js';
import type { AuditWriter } from '../audit/audit-writer.js';
import type { Observer, VendObservation } from '../lib/observer.js';
import type { RequestEnd, RequestEndListener } from './request-end.js';
import { requestPathOf } from './request-path.js';
import { routeTemplateOf } from './route-template.js';
import { sourceAddressOf } from './source-address.js';
import type { VendingContexts } from './vending-context.js';

export interface VendingAuditOptions {
  readonly contexts: VendingContexts;
  readonly writeAudit: AuditWriter;
  readonly observer: Observer;
  /** Proxies trusted to append to `X-Forwarded-For` (`SERVER_TRUST_PROXY`); 0 for none. */
  readonly trustedProxyHops: number;
  /** Stripped from the audited path, as Chinmina records it. */
  readonly basePath: string;
}

/**
 * Writes a vending request's audit record when the request ends (a client that hung up
 * first is recorded with 499), and reports it to the observer at the same moment. Requests
 * on other routes have no vending context and are passed over.
 */
export function auditVendingRequests(options: VendingAuditOptions): RequestEndListener {
  return (request, _reply, end) => {
    const audit = options.contexts.find(request)?.audit;
    if (audit === undefined) return;
    if (end.clientClosed) audit.recordClientClosed();
    options.writeAudit(audit, end.status);
    options.observer.vend(vendObservationOf(routeTemplateOf(request, options.basePath), audit, end));
  };
}

/**
 * What metrics learn of a finished vending request, from its audit entry: the resolved
 * profile (`unknown` when the request never resolved one), the outcome, and a bounded
 * reason class — the error code of a denied or failed request, `client_closed` for a
 * client that hung up (always `failed`, even when a token had been issued), `http_<status>`
 * for a refusal without one (an empty profile segment), and `none` otherwise.
 */
export function vendObservationOf(route: string, audit: AuditEntry, end: RequestEnd): VendObservation {
  const outcome = end.clientClosed ? 'failed' : audit.outcomeAt(end.status);
  const reason =
    outcome === 'issued' || outcome === 'unmatched'
      ? 'none'
      : (audit.errorCode ?? (end.clientClosed ? 'client_closed' : `http_${end.status}`));
  return { route, profile: audit.resolvedProfile ?? 'unknown', outcome, reason };
}

/** The request as the audit record describes it. */
export function auditedRequestOf(request: FastifyRequest, options: Pick<VendingAuditOptions, 'trustedProxyHops' | 'basePath'>) {
  const path = requestPathOf(request);
  return {
    requestId: request.id,
    method: request.method,
    path: path.slice(options.basePath.length) || '/',
    sourceIP: sourceAddressOf(request.raw, options.trustedProxyHops),
    userAgent: request.headers['user-agent'] ?? '',
  };
}
