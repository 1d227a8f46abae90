import type { Logger } from 'pino';
import { selfTestAead } from './self-test.js';
import type { Aead } from './tink-aead.js';
import { startPeriodicLoop } from '../../lib/periodic-loop.js';
import type { Timers } from '../../lib/timers.js';

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
  const intervalMs = options.intervalMs ?? defaultKeysetRefreshIntervalMs;
  // The first load runs before the loop exists; nothing can stop it, so it needs no abort.
  let current = await loadChecked(load, new AbortController().signal);
  const loop = startPeriodicLoop({
    run: async (signal) => {
      logger.info('refreshing encryption keyset');
      const next = await loadChecked(load, signal);
      if (signal.aborted) return;
      current = next;
      logger.info('encryption keyset refreshed successfully');
    },
    delayMs: () => intervalMs,
    onError: (err, { stopped }) => {
      // After stop() the abort itself is the likely failure; nobody needs to hear of it.
      if (!stopped) logger.warn({ err }, 'failed to refresh encryption keyset, continuing with current keyset');
    },
    firstRun: 'after-delay',
    timers: options.timers,
  });
  return { current: () => current, stop: () => loop.stop() };
}

async function loadChecked(load: KeysetRefreshOptions['load'], signal: AbortSignal): Promise<Aead> {
  const aead = await load(signal);
  selfTestAead(aead);
  return aead;
}

