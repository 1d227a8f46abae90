import { ValkeyCommandError, ValkeyTimeoutError } from '../errors.js';
import { withDeadline } from '../lib/deadline.js';
import type { Upstream, UpstreamFailureOutcome } from '../lib/upstream.js';

/** How long a Valkey command may wait for its answer before it fails as timed out. */
export const valkeyCommandTimeoutMs = 200;

/**
 * Runs one Valkey command, turning any failure into {@link ValkeyCommandError}: one that
 * got no answer within {@link valkeyCommandTimeoutMs} has a {@link ValkeyTimeoutError} as
 * its cause. With an `upstream`, the command is timed and reported as a `valkey` call
 * named `command`, with the outcome `timeout` or `failed`.
 */
export async function runValkeyCommand<T>(command: string, run: () => Promise<T>, upstream?: Upstream): Promise<T> {
  const timed = () => withinCommandTimeout(command, run);
  try {
    return await (upstream === undefined ? timed() : upstream.measure(command, timed, valkeyFailureOutcome));
  } catch (cause) {
    throw new ValkeyCommandError(command, { cause });
  }
}

function valkeyFailureOutcome(error: unknown): UpstreamFailureOutcome {
  return error instanceof ValkeyTimeoutError ? 'timeout' : 'failed';
}

/**
 * `run`, or {@link ValkeyTimeoutError} once the command timeout passes without an answer.
 * The deadline is ours because iovalkey marks its own timeout only by the message text.
 * The client keeps its own timeout of the same length, which releases the abandoned
 * command; ours is set first, before `run` sends the command, and Node fires timers of
 * equal delay in the order they were set, so ours always decides.
 */
function withinCommandTimeout<T>(command: string, run: () => Promise<T>): Promise<T> {
  return withDeadline(run, {
    timeoutMs: valkeyCommandTimeoutMs,
    expired: () => new ValkeyTimeoutError(command, valkeyCommandTimeoutMs),
  });
}
