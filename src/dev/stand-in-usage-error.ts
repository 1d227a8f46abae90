/**
 * A stand-in was started from the command line with missing or malformed arguments. Dev
 * tooling only: it never reaches a request, so it is not part of the bridge's error table.
 */
export class StandInUsageError extends Error {
  readonly code = 'stand_in_usage';
  constructor(
    readonly reason: string,
    options?: ErrorOptions,
  ) {
    super(reason, options);
    this.name = 'StandInUsageError';
  }
}
