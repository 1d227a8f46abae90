import type { Logger } from 'pino';
import type { WindowCounter } from './window-counter.js';

/**
 * Counts with `primary` (the fleet's counter) and, when it fails, with `fallback` (this
 * instance's): a limit still holds per instance while the shared store is unreachable.
 * The failure is logged at `warn`; it never fails the count.
 */
export function fallbackWindowCounter(primary: WindowCounter, fallback: WindowCounter, logger: Logger): WindowCounter {
  return async (key) => {
    try {
      return await primary(key);
    } catch (error) {
      logger.warn({ err: error }, 'shared counter unavailable, counting on this instance');
      return fallback(key);
    }
  };
}
