/**
 * A command line we cannot run: an unknown or missing flag, a malformed value, a file named
 * on the command line that cannot be used. The message names the flag or argument at fault.
 * The entry point answers it with exit code 2, as an unknown command. Command-line tooling
 * only: it never reaches a request, so it is not part of the bridge's error table.
 */
export class UsageError extends Error {
  readonly code: 'usage' | 'stand_in_usage' = 'usage';
  constructor(
    readonly reason: string,
    options?: ErrorOptions,
  ) {
    super(reason, options);
    this.name = 'UsageError';
  }
}

/** A {@link UsageError}, or one of node:util's parseArgs errors (unknown option, missing value). */
export function isUsageError(error: unknown): boolean {
  if (error instanceof UsageError) return true;
  // parseArgs throws TypeErrors coded ERR_PARSE_ARGS_UNKNOWN_OPTION and the like.
  return error instanceof TypeError && 'code' in error && String(error.code).startsWith('ERR_PARSE_ARGS_');
}
