import type { Logger } from 'pino';
import { selfTestAead } from './self-test.js';
import type { Aead } from './tink-aead.js';
import { systemTimers, type Timers } from '../../lib/timers.js';


/** Chinmina refreshes the encryption keyset every 15 minutes. */
export const defaultKeysetRefreshIntervalMs = 15 * 60 * 1000;

export interface KeysetRefreshOptions {
  /**
   * Reads the keyset from its source and builds the AEAD. `signal` aborts once the refresh
   * is stopped, so a slow KMS or Secrets Manager call need not outlive shutdown.
   */
  readonly load: (signal: AbortSignal) => Promise<Aead>;
  /** Positive; between the end of one load and the start of the next. */
  readonly intervalMs?: number;
  readonly logger: Logger;
  readonly timers?: Timers;
}

/** A running keyset refresh. */
export interface KeysetRefresh {
  /** The AEAD of the newest keyset that loaded and passed its self-test. */
  current(): Aead;
  /** Stops scheduling and aborts a load in flight, whose result is then discarded. Idempotent. */
  stop(): void;
}


/**
 * Loads the encryption keyset and keeps it fresh, as Chinmina does. The first load is
 * awaited and self-tested; its failure rejects with the reason, so start-up fails fast.
 * Afterwards a load runs every `intervalMs` (default 15 minutes) in the background: one
 * that loads and passes its self-test replaces the current AEAD (info
 * `encryption keyset refreshed successfully`); one that fails keeps it (warn
 * `failed to refresh encryption keyset, continuing with current keyset`). Invariants:
 * loads never overlap (the next is scheduled when one ends) and nothing escapes a timer
 * callback.
 *
 * @throws whatever the first `load` throws, or {@link EncryptionSelfTestError}.
 */
export async function startKeysetRefresh(options: KeysetRefreshOptions): Promise<KeysetRefresh> {
  const { load, logger } = options;
  const timers = options.timers ?? systemTimers;
  const intervalMs = options.intervalMs ?? defaultKeysetRefreshIntervalMs;
  const aborter = new AbortController();
  let current = await loadChecked(load, aborter.signal);
  let stopped = false;
  let scheduled: { handle: unknown } | undefined;

  async function refresh(): Promise<void> {
    scheduled = undefined;
    try {
      logger.info('refreshing encryption keyset');
      const next = await loadChecked(load, aborter.signal);
      if (stopped) return;
      current = next;
      logger.info('encryption keyset refreshed successfully');
    } catch (err) {
      // After stop() the abort itself is the likely failure; nobody needs to hear of it.
      if (!stopped) logger.warn({ err }, 'failed to refresh encryption keyset, continuing with current keyset');
    } finally {
      schedule();
    }
  }

  function schedule(): void {
    if (!stopped) scheduled = { handle: timers.setTimeout(() => void refresh(), intervalMs) };
  }

  schedule();
  return {
    current: () => current,
    stop() {
      if (stopped) return;
      stopped = true;
      if (scheduled !== undefined) timers.clearTimeout(scheduled.handle);
      scheduled = undefined;
      aborter.abort();
    },
  };
}

async function loadChecked(load: KeysetRefreshOptions['load'], signal: AbortSignal): Promise<Aead> {
  const aead = await load(signal);
  selfTestAead(aead);
  return aead;
}

