import type { Clock } from './clock.js';

/** A loaded value and the times that decide how long it is served. */
export interface Fresh<T> {
  readonly value: T;
  /** From this time on, asking for the value starts a load of its replacement. */
  readonly renewAtMs: number;
  /**
   * Until this time the value may still be served after `renewAtMs`: while its replacement
   * loads (`renewal: 'background'`) or when that load failed (`renewal: 'wait'`).
   * Absent: never served after `renewAtMs`.
   */
  readonly usableUntilMs?: number;
}

export interface FreshValueOptions<T> {
  /** Loads a new value; what it throws reaches the callers that waited for it. */
  readonly load: () => Promise<Fresh<T>>;
  readonly clock: Clock;
  /**
   * `wait`: once a value is due for renewal, callers wait for the load (and get the old
   * value back only if the load fails while the old one is usable). `background`: callers
   * get a usable value at once and the load runs behind them.
   */
  readonly renewal: 'wait' | 'background';
  /** Without it, a failed load may be retried at once, by the next caller. */
  readonly cooldown?: {
    /** How long after a failed load no other load starts on its own; `hadValue` says whether one was loaded before. */
    readonly afterFailureMs: (hadValue: boolean) => number;
    /** Thrown to a caller that asks during a cooldown when no usable value is in hand. */
    readonly unavailable: () => Error;
  };
}

/** A value kept fresh by reloading it, with at most one load in flight. */
export interface FreshValue<T> {
  /** The value per the renewal policy; throws what the load threw, or the cooldown's `unavailable`. */
  get(): Promise<T>;
  /** Starts a load now, or joins the one in flight, whatever the value's age or a cooldown. */
  refresh(): Promise<T>;
}

/**
 * Keeps one value fresh: it is loaded on first use and reloaded once its `renewAtMs` has
 * passed. Invariants: at most one load is in flight, and concurrent callers share it; a
 * failed load replaces nothing, so the last good value stays (it is served while its
 * `usableUntilMs` lasts); after a failed load, with a cooldown, no load starts on its own
 * before the cooldown ends (a thundering herd cannot hammer a failing source).
 */
export function createFreshValue<T>(options: FreshValueOptions<T>): FreshValue<T> {
  const { clock, cooldown } = options;
  let current: Fresh<T> | undefined;
  let loading: Promise<T> | undefined;
  let retryAfterMs = Number.NEGATIVE_INFINITY;

  const usable = (fresh: Fresh<T> | undefined): fresh is Fresh<T> =>
    fresh !== undefined && clock.nowMs() < (fresh.usableUntilMs ?? Number.NEGATIVE_INFINITY);

  function refresh(): Promise<T> {
    loading ??= options
      .load()
      .then(
        (fresh) => {
          current = fresh;
          return fresh.value;
        },
        (error: unknown) => {
          if (cooldown !== undefined) retryAfterMs = clock.nowMs() + cooldown.afterFailureMs(current !== undefined);
          throw error;
        },
      )
      .finally(() => {
        loading = undefined;
      });
    return loading;
  }

  async function get(): Promise<T> {
    const previous = current;
    if (previous !== undefined && clock.nowMs() < previous.renewAtMs) return previous.value;
    if (cooldown !== undefined && loading === undefined && clock.nowMs() < retryAfterMs) {
      if (usable(previous)) return previous.value;
      throw cooldown.unavailable();
    }
    const loaded = refresh();
    if (options.renewal === 'background' && usable(previous)) {
      // The value in hand serves; a failure only sets the cooldown, and the next caller retries.
      loaded.catch(() => undefined);
      return previous.value;
    }
    try {
      return await loaded;
    } catch (error) {
      if (usable(previous)) return previous.value;
      throw error;
    }
  }

  return { get, refresh };
}
