/**
 * One upstream rate limit as last reported: closed until its reset once the upstream said
 * it is spent. Every call that counts against the limit looks here first, so none is made
 * before the reset (see upstream-retry.ts).
 */
export interface RateLimitGate {
  /** The time (ms since the epoch) the limit resets; in the past when it is open. */
  closedUntilMs(): number;
  /** Records that the limit is spent until `untilMs`; an earlier time never reopens it. */
  closeUntil(untilMs: number): void;
}

export function createRateLimitGate(): RateLimitGate {
  let untilMs = 0;
  return {
    closedUntilMs: () => untilMs,
    closeUntil: (resetMs) => {
      untilMs = Math.max(untilMs, resetMs);
    },
  };
}
