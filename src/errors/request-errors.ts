import { CodedError } from './coded-error.js';
import { errorTable, type ErrorCode, type ErrorResponse } from './error-table.js';

/**
 * Base of every error a request can meet; branch on `code`, never on `message`. Its
 * {@link errorTable} entry is its status, public message and audit outcome.
 */
export abstract class BridgeError extends CodedError {
  abstract override readonly code: ErrorCode;

  get response(): ErrorResponse {
    return errorTable[this.code];
  }

  /** Whole seconds the caller should wait before asking again (`Retry-After`), when known. */
  get retryAfterSeconds(): number | undefined {
    return undefined;
  }
}

/** The request carried no `Authorization` header. */
export class TokenMissingError extends BridgeError {
  readonly code = 'token_missing';
  constructor() {
    super('no Authorization header');
  }
}

/** The presented OIDC token was rejected; `reason` goes to the audit record only. */
export class TokenInvalidError extends BridgeError {
  readonly code = 'token_invalid';
  constructor(
    readonly reason: string,
    options?: ErrorOptions,
  ) {
    super(`JWT authorization failure: ${reason}`, options);
  }
}

/** The request's shape is wrong (for example a git credential request without a host). */
export class RequestInvalidError extends BridgeError {
  readonly code = 'request_invalid';
  constructor(
    readonly reason: string,
    options?: ErrorOptions,
  ) {
    super(`invalid request: ${reason}`, options);
  }
}

/** The body is larger than the route accepts. */
export class PayloadTooLargeError extends BridgeError {
  readonly code = 'payload_too_large';
  constructor(readonly limitBytes: number) {
    super(`request body exceeds ${limitBytes} bytes`);
  }
}

/** The `{profile}` path value is not a well-formed reference for this route. */
export class ProfileReferenceInvalidError extends BridgeError {
  readonly code = 'profile_reference_invalid';
  constructor(
    readonly reference: string,
    readonly reason: string,
  ) {
    super(`profile resolution failed: ${reason}`);
  }
}

/** No profile of that name exists. */
export class ProfileNotFoundError extends BridgeError {
  readonly code = 'profile_not_found';
  constructor(readonly profileName: string) {
    super(`profile resolution failed: profile "${profileName}" not found`);
  }
}

/** A profile of that name exists but failed validation. */
export class ProfileUnavailableError extends BridgeError {
  readonly code = 'profile_unavailable';
  constructor(
    readonly profileName: string,
    readonly reason: string,
  ) {
    super(`profile resolution failed: profile "${profileName}" unavailable: ${reason}`);
  }
}

/** A caller-scoped organization profile was asked for without naming a repository. */
export class ScopeRequiredError extends BridgeError {
  readonly code = 'scope_required';
  constructor(readonly profileName: string) {
    super(`profile resolution failed: profile "${profileName}" requires a repository scope`);
  }
}

/** A repository scope was given for a profile whose repositories are fixed. */
export class ScopeNotAcceptedError extends BridgeError {
  readonly code = 'scope_not_accepted';
  constructor(readonly profileName: string) {
    super(`profile resolution failed: profile "${profileName}" does not accept repository scoping`);
  }
}

/** The caller's claims do not satisfy the profile's match rules. */
export class MatchFailedError extends BridgeError {
  readonly code = 'match_failed';
  constructor(readonly profileName: string) {
    super(`profile "${profileName}" match conditions not met`);
  }
}

/** A claim a match rule uses holds a value we refuse to evaluate. */
export class ClaimInvalidError extends BridgeError {
  readonly code = 'claim_invalid';
  constructor(
    readonly claim: string,
    readonly reason: string,
  ) {
    super(`profile match evaluation failed: claim "${claim}" ${reason}`);
  }
}

/**
 * The pipeline's repository belongs to an account this bridge does not serve (or on which
 * the App has no installation): refused before GitHub is asked.
 */
export class OwnerNotServedError extends BridgeError {
  readonly code = 'owner_not_served';
  constructor(
    readonly owner: string,
    readonly reason: string,
  ) {
    super(`repository owner refused: ${reason}`);
  }
}

/**
 * The caller asked for more new tokens than its limit allows (`PIPELINE_MINT_LIMIT_PER_MINUTE`):
 * 429, with the seconds until the limit's window lets a mint through again.
 */
export class RateLimitedError extends BridgeError {
  readonly code = 'rate_limited';
  constructor(
    readonly limitedKey: string,
    private readonly retryAfter: number,
  ) {
    super(`mint limit reached for ${limitedKey}`);
  }

  override get retryAfterSeconds(): number {
    return this.retryAfter;
  }
}

/** The instance is starting or draining and does not vend. */
export class NotReadyError extends BridgeError {
  readonly code = 'not_ready';
  constructor(readonly state: string) {
    super(`service is ${state}`);
  }
}

/** A broken invariant of our own: a bug. */
export class InternalError extends BridgeError {
  readonly code = 'internal';
  constructor(reason: string, options?: ErrorOptions) {
    super(reason, options);
  }
}

/** Any thrown value as a BridgeError: foreign errors become {@link InternalError}. */
export function toBridgeError(error: unknown): BridgeError {
  if (error instanceof BridgeError) return error;
  return new InternalError('unexpected error', { cause: error });
}
