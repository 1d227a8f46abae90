import { CodedError } from './coded-error.js';

/**
 * Every cache error code. None reaches a caller as a status: a request goes on without the
 * shared cache (a failed read is a miss, a failed write "not cached"), and an invalid
 * address stops start-up.
 */
export type CacheErrorCode =
  | 'valkey_address_invalid'
  | 'password_unavailable'
  | 'valkey_command_failed'
  | 'valkey_timeout'
  | 'cache_value_unreadable'
  | 'circuit_open';

/** Why a Valkey command failed, or why connecting failed, in words fit for a log: a code when there is one. */
export function describeValkeyError(error: unknown): string {
  if (error instanceof PasswordUnavailableError || error instanceof ValkeyTimeoutError) return error.message;
  if (error instanceof Error) {
    return 'code' in error && typeof error.code === 'string' ? error.code : error.message;
  }
  return error === undefined ? 'unknown' : String(error);
}

/** The configured Valkey address is not `host:port`; a start-up configuration error. */
export class ValkeyAddressInvalidError extends CodedError {
  readonly code = 'valkey_address_invalid';
  override readonly name = 'ValkeyAddressInvalidError';
  constructor(readonly address: string) {
    super(`invalid Valkey address "${address}": expected host:port`);
  }
}

/**
 * The password provider gave no password for a new connection: it did not answer within
 * `timeoutMs` (`no_answer`), or it failed (`failed`, with its failure as the cause). The
 * connection attempt counts as failed.
 */
export class PasswordUnavailableError extends CodedError {
  readonly code = 'password_unavailable';
  override readonly name = 'PasswordUnavailableError';
  constructor(
    readonly reason: 'no_answer' | 'failed',
    readonly timeoutMs: number,
    options?: { cause: unknown },
  ) {
    super(
      reason === 'no_answer'
        ? `password provider: no answer in ${timeoutMs} ms`
        : `password provider failed: ${describeValkeyError(options?.cause)}`,
      options,
    );
  }
}

/** A Valkey command failed: not connected, no answer within the command timeout, or refused by the server. */
export class ValkeyCommandError extends CodedError {
  readonly code = 'valkey_command_failed';
  override readonly name = 'ValkeyCommandError';
  constructor(
    readonly command: string,
    options: { cause: unknown },
  ) {
    super(`valkey ${command} failed: ${describeValkeyError(options.cause)}`, options);
  }
}

/** A Valkey command got no answer within the command timeout; the cause of a {@link ValkeyCommandError}. */
export class ValkeyTimeoutError extends CodedError {
  readonly code = 'valkey_timeout';
  override readonly name = 'ValkeyTimeoutError';
  constructor(
    readonly command: string,
    readonly timeoutMs: number,
  ) {
    super(`no answer within ${timeoutMs} ms`);
  }
}

/** Why a stored value could not be read: the codec refused it, or its JSON is not a value. */
export type UnreadableReason = 'undecodable' | 'malformed';

/**
 * A stored value that does not decrypt, decode or parse; counted as a cache error, and the
 * request proceeds as a miss. `deleted` tells whether the entry was removed.
 */
export class CacheValueUnreadableError extends CodedError {
  readonly code = 'cache_value_unreadable';
  override readonly name = 'CacheValueUnreadableError';
  constructor(
    readonly key: string,
    readonly reason: UnreadableReason,
    readonly deleted: boolean,
    options: { cause: unknown },
  ) {
    super(
      `cache value for "${key}" is ${reason}${deleted ? ', deleted' : ', not deleted'}: ${describeValkeyError(options.cause)}`,
      options,
    );
  }
}

/** Thrown instead of calling a dependency that failed moments ago. */
export class CircuitOpenError extends CodedError {
  readonly code = 'circuit_open';
  constructor() {
    super('shared cache skipped: it failed moments ago');
  }
}
