/**
 * The one error hierarchy of token-bridge. Every failure a request can meet is a
 * {@link BridgeError} with a literal `code`; {@link errorTable} alone decides the status and
 * the public message. The `message` is detail for the audit record and logs, never for the
 * caller, and never contains a token or key.
 */

/** Every error code. */
export type ErrorCode =
  | 'token_missing'
  | 'token_invalid'
  | 'request_invalid'
  | 'payload_too_large'
  | 'profile_reference_invalid'
  | 'profile_not_found'
  | 'profile_unavailable'
  | 'scope_required'
  | 'scope_not_accepted'
  | 'match_failed'
  | 'claim_invalid'
  | 'upstream_refused'
  | 'owner_not_served'
  | 'not_ready'
  | 'upstream_failed'
  | 'upstream_timeout'
  | 'internal';

/**
 * How a denial looks on the wire, whatever the route family:
 * - `challenge`: the bare 401 for a request without credentials;
 * - `invalid-token`: the one 401 every presented-but-invalid token gets;
 * - `plain`: a request-shape error, `<status text>\n` as text/plain;
 * - `denial`: JSON `{"error": message}` on token routes, `Chinmina-Denied` on git routes.
 */
export type ErrorShape = 'challenge' | 'invalid-token' | 'plain' | 'denial';

/** The audit outcome class of a failed request: the caller's doing, or ours/upstream's. */
export type FailureOutcome = 'denied' | 'failed';

export interface ErrorResponse {
  readonly status: number;
  readonly publicMessage: string;
  readonly shape: ErrorShape;
  readonly outcome: FailureOutcome;
}

/** The only place a status is chosen for an error. */
export const errorTable = {
  token_missing: { status: 401, publicMessage: 'invalid_token', shape: 'challenge', outcome: 'denied' },
  token_invalid: { status: 401, publicMessage: 'invalid_token', shape: 'invalid-token', outcome: 'denied' },
  request_invalid: { status: 400, publicMessage: 'Bad Request', shape: 'plain', outcome: 'denied' },
  payload_too_large: {
    status: 413,
    publicMessage: 'Request Entity Too Large',
    shape: 'denial',
    outcome: 'denied',
  },
  profile_reference_invalid: { status: 400, publicMessage: 'Bad Request', shape: 'denial', outcome: 'denied' },
  profile_not_found: { status: 404, publicMessage: 'profile not found', shape: 'denial', outcome: 'denied' },
  profile_unavailable: {
    status: 404,
    publicMessage: 'profile unavailable: validation failed',
    shape: 'denial',
    outcome: 'denied',
  },
  scope_required: {
    status: 400,
    publicMessage: 'repository scope is required for this profile',
    shape: 'denial',
    outcome: 'denied',
  },
  scope_not_accepted: {
    status: 400,
    publicMessage: 'profile does not accept repository scoping',
    shape: 'denial',
    outcome: 'denied',
  },
  match_failed: { status: 403, publicMessage: 'Forbidden', shape: 'denial', outcome: 'denied' },
  claim_invalid: { status: 403, publicMessage: 'Forbidden', shape: 'denial', outcome: 'denied' },
  upstream_refused: { status: 403, publicMessage: 'Forbidden', shape: 'denial', outcome: 'denied' },
  owner_not_served: { status: 403, publicMessage: 'Forbidden', shape: 'denial', outcome: 'denied' },
  not_ready: { status: 503, publicMessage: 'Service Unavailable', shape: 'denial', outcome: 'failed' },
  upstream_failed: { status: 502, publicMessage: 'Bad Gateway', shape: 'denial', outcome: 'failed' },
  upstream_timeout: { status: 504, publicMessage: 'Gateway Timeout', shape: 'denial', outcome: 'failed' },
  internal: { status: 500, publicMessage: 'Internal Server Error', shape: 'denial', outcome: 'failed' },
} as const satisfies Record<ErrorCode, ErrorResponse>;

/** Base of every token-bridge error; branch on `code`, never on `message`. */
export abstract class BridgeError extends Error {
  abstract readonly code: ErrorCode;

  get response(): ErrorResponse {
    return errorTable[this.code];
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

/** An upstream refused for a reason attributable to the caller (unknown pipeline, foreign repository). */
export class UpstreamRefusedError extends BridgeError {
  readonly code = 'upstream_refused';
  constructor(
    readonly upstream: string,
    readonly reason: string,
    options?: ErrorOptions,
  ) {
    super(`${upstream} refused: ${reason}`, options);
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

/** The instance is starting or draining and does not vend. */
export class NotReadyError extends BridgeError {
  readonly code = 'not_ready';
  constructor(readonly state: string) {
    super(`service is ${state}`);
  }
}

/** An upstream failed or could not be reached. */
export class UpstreamFailedError extends BridgeError {
  readonly code = 'upstream_failed';
  constructor(
    readonly upstream: string,
    readonly operation: string,
    readonly detail: string,
    options?: ErrorOptions,
  ) {
    super(`${upstream} ${operation} failed: ${detail}`, options);
  }
}

/** An upstream did not answer in time. */
export class UpstreamTimeoutError extends BridgeError {
  readonly code = 'upstream_timeout';
  constructor(
    readonly upstream: string,
    readonly operation: string,
    readonly timeoutMs: number,
    options?: ErrorOptions,
  ) {
    super(`${upstream} ${operation} timed out after ${timeoutMs} ms`, options);
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
