/**
 * How each request error is answered. {@link errorTable} alone decides the status and the
 * public message; the error's `message` is detail for the audit record and logs, never
 * for the caller, and never contains a token or key.
 */

/** Every code of an error a request can meet; {@link errorTable} maps each to its answer. */
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
  | 'rate_limited'
  | 'not_ready'
  | 'upstream_failed'
  | 'upstream_timeout'
  | 'upstream_rate_limited'
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
  rate_limited: { status: 429, publicMessage: 'Too Many Requests', shape: 'denial', outcome: 'denied' },
  not_ready: { status: 503, publicMessage: 'Service Unavailable', shape: 'denial', outcome: 'failed' },
  upstream_failed: { status: 502, publicMessage: 'Bad Gateway', shape: 'denial', outcome: 'failed' },
  upstream_timeout: { status: 504, publicMessage: 'Gateway Timeout', shape: 'denial', outcome: 'failed' },
  upstream_rate_limited: {
    status: 503,
    publicMessage: 'Service Unavailable',
    shape: 'denial',
    outcome: 'failed',
  },
  internal: { status: 500, publicMessage: 'Internal Server Error', shape: 'denial', outcome: 'failed' },
} as const satisfies Record<ErrorCode, ErrorResponse>;
