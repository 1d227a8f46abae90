import type { Upstream, UpstreamFailureOutcome } from '../lib/upstream.js';

/** A password provider that failed or did not answer in time; the connection attempt counts as failed. */
export class PasswordUnavailable extends Error {
  override readonly name = 'PasswordUnavailable';
}

/** Why a Valkey command failed, or why connecting failed, in words fit for a log: a code when there is one. */
export function describeValkeyError(error: unknown): string {
  if (error instanceof PasswordUnavailable) return error.message;
  if (error instanceof Error) {
    return 'code' in error && typeof error.code === 'string' ? error.code : error.message;
  }
  return error === undefined ? 'unknown' : String(error);
}

/** A Valkey command failed: not connected, no answer within 200 ms, or refused by the server. */
export class ValkeyCommandError extends Error {
  readonly code = 'valkey_command_failed';
  override readonly name = 'ValkeyCommandError';
  constructor(
    readonly command: string,
    options: { cause: unknown },
  ) {
    super(`valkey ${command} failed: ${describeValkeyError(options.cause)}`, options);
  }
}

/**
 * Runs one Valkey command, turning any failure into {@link ValkeyCommandError}. With an
 * `upstream`, the command is timed and reported as a `valkey` call named `command`.
 */
export async function runValkeyCommand<T>(command: string, run: () => Promise<T>, upstream?: Upstream): Promise<T> {
  try {
    return await (upstream === undefined ? run() : upstream.measure(command, run, valkeyFailureOutcome));
  } catch (cause) {
    throw new ValkeyCommandError(command, { cause });
  }
}

/**
 * `timeout` for a command that got no answer within the command timeout, else `failed`.
 * iovalkey marks a timeout only by its message (no code or class), so the message is read.
 */
function valkeyFailureOutcome(error: unknown): UpstreamFailureOutcome {
  return error instanceof Error && error.message === 'Command timed out' ? 'timeout' : 'failed';
}

/** The configured Valkey address is not `host:port`; a start-up configuration error. */
export class ValkeyAddressInvalidError extends Error {
  readonly code = 'valkey_address_invalid';
  override readonly name = 'ValkeyAddressInvalidError';
  constructor(readonly address: string) {
    super(`invalid Valkey address "${address}": expected host:port`);
  }
}
