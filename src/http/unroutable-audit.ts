import type { FastifyReply, FastifyRequest } from 'fastify';
import { AuditEntry } from '../audit/audit-entry.js';
import { RequestInvalidError } from '../errors.js';
import { requestPathOf } from './request-path.js';
import { auditedRequestOf, type VendingAuditOptions } from './vending-audit.js';

/** The first segments of every vending route: a path under one of them is a vending request. */
const vendingRoots = ['/token', '/git-credentials', '/organization/token', '/organization/git-credentials'];

/**
 * Audits a request under a vending route that fastify refused before routing it (a path
 * whose percent-encoding does not decode, such as `/token/%zz`): a denied record with
 * `request_invalid`, its request id sent back as on every vending answer. Other unroutable
 * requests are not vending requests and are passed over. Call before the reply is sent.
 */
export function auditUnroutableVendingRequest(
  options: Pick<VendingAuditOptions, 'writeAudit' | 'trustedProxyHops' | 'basePath'>,
  request: FastifyRequest,
  reply: FastifyReply,
  status: number,
): void {
  const path = requestPathOf(request);
  if (!path.startsWith(options.basePath)) return;
  const routed = path.slice(options.basePath.length);
  if (!vendingRoots.some((root) => routed === root || routed.startsWith(`${root}/`))) return;
  reply.header('x-request-id', request.id);
  const audit = new AuditEntry(auditedRequestOf(request, options));
  audit.recordFailure(new RequestInvalidError('the request path cannot be decoded'));
  options.writeAudit(audit, status);
}
