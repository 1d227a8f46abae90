import type { AttemptedPattern, ClaimMatch } from '../profile/profile.js';
import type { BridgeError, ErrorCode } from '../errors.js';
import type { BuildkiteClaims } from '../oidc/buildkite-claims.js';

/** How a vending request ended: a token, no credentials (not an error), refused, or broken. */
export type Outcome = 'issued' | 'unmatched' | 'denied' | 'failed';

/** What the audit record says about the vended token. */
export interface TokenDetails {
  vendedRepository?: string;
  /** The login of the account whose installation the token comes from; absent (or `undefined`) when unknown. */
  installationAccount?: string | undefined;
  hashedToken?: string;
  repositories?: readonly string[];
  permissions?: readonly string[];
  /** Epoch ms of the token's expiry. */
  expiresAtMs?: number;
}

interface RequestInfo {
  readonly requestId: string;
  readonly method: string;
  readonly path: string;
  readonly sourceIP: string;
  readonly userAgent: string;
}

/**
 * The audit record of one vending request, filled in as the request goes through the
 * layers and written once at the end. It holds the token's hash, never the token. The
 * first error recorded wins: it is the cause; later ones are consequences.
 */
export class AuditEntry {
  private decided: Outcome | undefined;
  private claims: BuildkiteClaims | undefined;
  private error: string | undefined;
  requestedProfile: string | undefined;
  requestedRepository: string | undefined;
  matches: readonly ClaimMatch[] | undefined;
  attemptedPatterns: readonly AttemptedPattern[] | undefined;
  token: TokenDetails = {};
  /**
   * The resolved profile as metrics label it: `repo:NAME` or `org:NAME`, never a caller's
   * repository; `undefined` while unresolved. Not part of the rendered record.
   */
  resolvedProfile: string | undefined;
  /** The code of the error that ended the request, if one did. Not part of the rendered record. */
  errorCode: ErrorCode | undefined;

  constructor(readonly request: RequestInfo) {}

  recordClaims(claims: BuildkiteClaims): void {
    this.claims = claims;
  }

  recordError(message: string): void {
    this.error ??= message;
  }

  /*
   * The outcome is decided here alone: by what the chain answered (issued, unmatched), by
   * the error table (an error's `response.outcome`), and, for a request that ended without
   * either, by its status (see `outcomeAt`).
   */

  /** The chain issued a token, described by `details` (its hash, never the token). */
  recordIssued(details: TokenDetails): void {
    this.decided = 'issued';
    this.token = details;
  }

  /** No credentials for the requested repository: not an error, git asks its next helper. */
  recordUnmatched(): void {
    this.decided = 'unmatched';
  }

  /** The request failed with `error`: its code, and the outcome the error table gives it. */
  recordFailure(error: BridgeError, detail: string = error.message): void {
    this.recordError(detail);
    this.errorCode ??= error.code;
    this.decided = error.response.outcome;
  }

  /** The client hung up before the answer: failed, unless the request had already ended otherwise. */
  recordClientClosed(): void {
    this.recordError('client closed the connection before the response');
    this.decided ??= 'failed';
  }

  /** The verified caller's claims; `undefined` while (or when) the token is not verified. */
  get verifiedClaims(): BuildkiteClaims | undefined {
    return this.claims;
  }

  /** The first error recorded, the cause; `undefined` while none is. */
  get firstError(): string | undefined {
    return this.error;
  }

  /** The outcome as decided so far; `undefined` while nothing has. */
  get outcome(): Outcome | undefined {
    return this.decided;
  }

  /** The outcome the record carries when it is written with `status`. */
  outcomeAt(status: number): Outcome {
    return this.decided ?? (status >= 500 ? 'failed' : status >= 400 ? 'denied' : 'issued');
  }

  /**
   * The JSON record; `status` is the response status, `nowMs` the time of writing, and
   * `isoTimeOf` writes a timestamp as ISO 8601 (a writer may remember its answers).
   */
  render(status: number, nowMs: number, isoTimeOf = (ms: number) => new Date(ms).toISOString()): Record<string, unknown> {
    const claims = this.claims;
    // An unreadable upstream timestamp must not cost the audit record.
    const expiry = (ms: number) =>
      Number.isFinite(ms) ? { expiry: isoTimeOf(ms), expiryRemaining: ms - nowMs } : {};
    const token = this.token;
    return {
      type: 'audit',
      requestId: this.request.requestId,
      outcome: this.outcomeAt(status),
      request: {
        method: this.request.method,
        path: this.request.path,
        status,
        sourceIP: this.request.sourceIP,
        userAgent: this.request.userAgent,
      },
      pipeline: claims && {
        organizationSlug: claims.organizationSlug,
        pipelineSlug: claims.pipelineSlug,
        jobID: claims.jobId,
        buildNumber: claims.buildNumber,
        buildBranch: claims.buildBranch,
      },
      authorization: {
        authorized: claims !== undefined,
        ...(claims && {
          subject: claims.subject,
          issuer: claims.issuer,
          audience: claims.audience,
          ...expiry(claims.expiresAtSecs * 1000),
        }),
      },
      token: {
        requestedProfile: this.requestedProfile,
        requestedRepository: this.requestedRepository,
        vendedRepository: token.vendedRepository,
        installationAccount: token.installationAccount,
        hashedToken: token.hashedToken,
        repositories: token.repositories,
        permissions: token.permissions,
        matches: this.matches,
        attemptedPatterns: this.attemptedPatterns,
        ...(token.expiresAtMs !== undefined && expiry(token.expiresAtMs)),
      },
      error: this.error,
    };
  }
}

