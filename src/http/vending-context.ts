import type { FastifyRequest } from 'fastify';
import type { AuditEntry } from '../audit/audit-entry.js';
import { InternalError } from '../errors.js';
import type { BuildkiteClaims } from '../oidc/buildkite-claims.js';

/** What the vending hooks learn about a request before its handler runs. */
export interface VendingContext {
  readonly audit: AuditEntry;
  claims: BuildkiteClaims | undefined;
}

/** Per-request vending state, kept beside the request rather than on it. */
export class VendingContexts {
  private readonly contexts = new WeakMap<FastifyRequest, VendingContext>();

  begin(request: FastifyRequest, audit: AuditEntry): VendingContext {
    const context: VendingContext = { audit, claims: undefined };
    this.contexts.set(request, context);
    return context;
  }

  find(request: FastifyRequest): VendingContext | undefined {
    return this.contexts.get(request);
  }

  /** The verified caller; a handler reached without one is a wiring bug, and fails closed. */
  authenticated(request: FastifyRequest): { audit: AuditEntry; claims: BuildkiteClaims } {
    const context = this.contexts.get(request);
    if (context?.claims === undefined) throw new InternalError('vending handler reached without verified claims');
    return { audit: context.audit, claims: context.claims };
  }
}
