import { BridgeError } from './request-errors.js';

/*
 * Errors of the services token-bridge calls (GitHub, Buildkite, the OIDC issuer, AWS):
 * refused for the caller's reason (403), failed (502), too slow (504), or rate-limited
 * beyond what a request can wait for (503 with `Retry-After`).
 */

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

/** How an upstream failure came about, beyond the standard options. */
export interface UpstreamFailureOptions extends ErrorOptions {
  /** A connection error or a 5xx: the same call may well succeed when tried again. Default false. */
  readonly retryable?: boolean;
}

/** An upstream failed or could not be reached. */
export class UpstreamFailedError extends BridgeError {
  readonly code = 'upstream_failed';
  /** Whether trying the call again may succeed (see {@link UpstreamFailureOptions}). */
  readonly retryable: boolean;
  constructor(
    readonly upstream: string,
    readonly operation: string,
    readonly detail: string,
    options?: UpstreamFailureOptions,
  ) {
    super(`${upstream} ${operation} failed: ${detail}`, options);
    this.retryable = options?.retryable ?? false;
  }
}

/** An HTTP answer other than the expected ones: a 5xx may be retried, anything else may not. */
export function httpFailure(upstream: string, operation: string, status: number): UpstreamFailedError {
  return new UpstreamFailedError(upstream, operation, `HTTP ${status}`, { retryable: status >= 500 });
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

/**
 * An upstream's rate limit is spent and its reset is further away than a request can wait:
 * 503, with `Retry-After` set to the seconds until the reset.
 */
export class UpstreamRateLimitedError extends BridgeError {
  readonly code = 'upstream_rate_limited';
  constructor(
    readonly upstream: string,
    readonly operation: string,
    private readonly retryAfter: number,
    options?: ErrorOptions,
  ) {
    super(`${upstream} ${operation} rate-limited for ${retryAfter} s`, options);
  }

  override get retryAfterSeconds(): number {
    return this.retryAfter;
  }
}
