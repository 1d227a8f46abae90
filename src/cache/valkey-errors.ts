import { ValkeyCommandError } from '../errors.js';
import type { Upstream, UpstreamFailureOutcome } from '../lib/upstream.js';

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
