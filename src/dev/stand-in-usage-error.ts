import { UsageError } from '../commands/usage-error.js';

/**
 * A stand-in was started with missing or malformed arguments or options. Dev tooling only:
 * it never reaches a request, so it is not part of the bridge's error table.
 */
export class StandInUsageError extends UsageError {
  override readonly code = 'stand_in_usage';
  constructor(reason: string, options?: ErrorOptions) {
    super(reason, options);
    this.name = 'StandInUsageError';
  }
}
