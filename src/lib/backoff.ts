/** How the waits between attempts grow. */
export interface BackoffOptions {
  /** The wait before the first retry, before jitter. */
  readonly firstDelayMs: number;
  /** No wait is longer than this, before jitter. */
  readonly maxDelayMs: number;
  /** A number in [0, 1); injected so tests choose the jitter. */
  readonly random: () => number;
}

/**
 * The wait before retry number `retry` (0 for the first): `firstDelayMs` doubled `retry`
 * times, capped at `maxDelayMs`, then jittered to between half and all of that, so that
 * callers failing together do not come back together.
 */
export function backoffDelayMs(retry: number, options: BackoffOptions): number {
  const exponent = Math.max(0, Math.min(retry, 30));
  const ceilingMs = Math.min(options.firstDelayMs * 2 ** exponent, options.maxDelayMs);
  const fraction = Math.min(Math.max(options.random(), 0), 1);
  return Math.round(ceilingMs / 2 + (ceilingMs / 2) * fraction);
}
