/** The timer functions background work schedules with; injected so tests drive time. */
export interface Timers {
  setTimeout(callback: () => void, delayMs: number): unknown;
  clearTimeout(handle: unknown): void;
}

/**
 * The host's timers, wrapped so `this` never matters and the handle stays opaque. Unref'd:
 * a background refresh alone must not keep the process alive.
 */
export const systemTimers: Timers = {
  setTimeout: (callback, delayMs) => setTimeout(callback, delayMs).unref(),
  clearTimeout: (handle) => {
    // Only handles our own setTimeout returned ever reach here.
    clearTimeout(handle as ReturnType<typeof setTimeout>);
  },
};
