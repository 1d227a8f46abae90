import type { Logger } from 'pino';
import { NotReadyError } from '../errors.js';
import { backoffDelayMs } from '../lib/backoff.js';
import { systemTimers, type Timers } from '../lib/timers.js';
import type { InstallationDiscovery } from './installation-discovery.js';

/** The default installation's account, learned from GitHub once. */
export interface DefaultInstallation {
  readonly id: string;
  /** The account's login as GitHub spells it; `undefined` until learned. */
  account(): string | undefined;
  /** Resolves once the account is known; rejects with NotReadyError when stopped first. Never rejects unhandled. */
  readonly known: Promise<void>;
  /** Stops retrying. Idempotent. */
  stop(): void;
}

export interface DefaultInstallationOptions {
  readonly id: string;
  readonly discovery: InstallationDiscovery;
  readonly logger: Logger;
  readonly timers?: Timers;
  /** The first retry's delay; each further one doubles, up to {@link maxRetryDelayMs}. Default 1000. */
  readonly firstRetryDelayMs?: number;
  /** The jitter's source, in [0, 1); `() => 1` for no jitter. Default `Math.random`. */
  readonly random?: () => number;
}

/** Retries never wait longer than this. */
export const maxRetryDelayMs = 60_000;

/**
 * Learns the default installation's account with `GET /app/installations/{id}`, at once and
 * then, while GitHub fails, again and again in the background with jittered exponential
 * backoff (instances started together do not retry together), so
 * a GitHub outage at start-up delays readiness but never stops the process. Each failure is
 * logged with its reason; the account, once known, is logged and kept.
 */
export function learnDefaultInstallation(options: DefaultInstallationOptions): DefaultInstallation {
  const timers = options.timers ?? systemTimers;
  const log = options.logger.child({ installationId: options.id });
  const backoff = { firstDelayMs: options.firstRetryDelayMs ?? 1000, maxDelayMs: maxRetryDelayMs, random: options.random ?? Math.random };
  let account: string | undefined;
  let stopped = false;
  let scheduled: unknown;
  let settle: { resolve(): void; reject(error: Error): void } | undefined;
  const known = new Promise<void>((resolve, reject) => {
    settle = { resolve, reject };
  });
  known.catch(() => undefined);

  async function attempt(retry: number): Promise<void> {
    scheduled = undefined;
    try {
      const installation = await options.discovery.installation(options.id);
      if (stopped) return;
      account = installation.account;
      log.info({ account }, 'default installation account');
      settle?.resolve();
    } catch (err) {
      if (stopped) return;
      const delayMs = backoffDelayMs(retry, backoff);
      log.warn({ err, retryInMs: delayMs }, 'default installation lookup failed');
      scheduled = timers.setTimeout(() => void attempt(retry + 1), delayMs);
    }
  }

  void attempt(0);
  return {
    id: options.id,
    account: () => account,
    known,
    stop() {
      if (stopped) return;
      stopped = true;
      if (scheduled !== undefined) timers.clearTimeout(scheduled);
      if (account === undefined) settle?.reject(new NotReadyError('stopped before the default installation was known'));
    },
  };
}
