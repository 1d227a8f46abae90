import { Valkey } from 'iovalkey';
import type { Logger } from 'pino';
import { systemClock, type Clock } from '../lib/clock.js';
import { withDeadline } from '../lib/deadline.js';
import { describeValkeyError, PasswordUnavailableError } from '../errors.js';
import { valkeyClientOptions } from './valkey-client-options.js';

export interface ValkeyClientOptions {
  /** `host:port`; an IPv6 host in brackets (`[::1]:6379`). */
  readonly address: string;
  /** TLS (minimum TLS 1.2, system roots). */
  readonly tls: boolean;
  readonly username?: string | undefined;
  /** A static AUTH password; ignored when `passwordProvider` is given. */
  readonly password?: string | undefined;
  /**
   * Asked for the AUTH password before every new connection, so that a password that
   * expires (an ElastiCache IAM token lives 15 minutes) is fresh whenever it is used.
   */
  readonly passwordProvider?: (() => Promise<string>) | undefined;
  readonly logger: Logger;
  /** For the "unreachable" log pacing; the real clock when absent. */
  readonly clock?: Clock | undefined;
  /** A connection is closed and reopened once this old (default 11 h: ElastiCache drops IAM connections at 12 h). */
  readonly maxConnectionAgeMs?: number | undefined;
}

/** One Valkey connection kept open in the background. */
export interface ValkeyConnection {
  /** Fails every command at once while not connected, and after 200 ms when the server is slow. */
  readonly client: Valkey;
  /** Whether commands can be sent now. */
  connected(): boolean;
  /** Closes the connection and stops reconnecting; safe to call twice. */
  close(): Promise<void>;
}

const maxBackoffMs = 2_000;
const passwordTimeoutMs = 5_000;
const unreachableLogIntervalMs = 30_000;
const defaultMaxConnectionAgeMs = 11 * 60 * 60 * 1_000;

/**
 * Connects to Valkey without ever making a request wait for it: no offline queue, a
 * 200 ms command timeout, and reconnection in the background (backoff capped at 2 s).
 * Never blocks or throws for an unreachable server: it logs `valkey unreachable` at most
 * every 30 s until connected, then `valkey connected`.
 *
 * The reconnection loop is ours, not iovalkey's (`retryStrategy` answers "stop"): iovalkey
 * reads `options.password` synchronously when a connection starts, so only a loop that
 * awaits `passwordProvider` before calling `connect()` can give each connection a fresh
 * password. Throws {@link ValkeyAddressInvalidError} for an address that is not `host:port`.
 */
export function createValkeyClient(options: ValkeyClientOptions): ValkeyConnection {
  const { logger, address } = options;
  const unreachable = unreachableReporter(logger, address, options.clock ?? systemClock);
  const maxConnectionAgeMs = options.maxConnectionAgeMs ?? defaultMaxConnectionAgeMs;
  const client = new Valkey(valkeyClientOptions(options));
  // Parked in "end" until the first password is known: in "wait", a command would make
  // iovalkey start a connection on its own, without it.
  client.disconnect();

  let closed = false;
  let attemptInFlight = false;
  let recycling = false;
  let failedAttempts = 0;
  let lastError: unknown;
  let retryTimer: NodeJS.Timeout | undefined;
  let ageTimer: NodeJS.Timeout | undefined;

  const schedule = (delayMs: number) => {
    if (closed || retryTimer !== undefined) return;
    retryTimer = setTimeout(() => {
      retryTimer = undefined;
      void attempt();
    }, delayMs);
    // Reconnecting alone must not keep a process alive that is otherwise done.
    retryTimer.unref();
  };
  // 50 ms after a lost connection, then doubling to the cap while attempts keep failing.
  const backoffMs = () => Math.min(50 * 2 ** Math.min(failedAttempts, 6), maxBackoffMs);


  async function attempt(): Promise<void> {
    if (closed || client.status !== 'end') return;
    attemptInFlight = true;
    lastError = undefined;
    try {
      if (options.passwordProvider !== undefined) {
        client.options.password = await passwordWithin(options.passwordProvider, passwordTimeoutMs);
      }
      if (closed) return;
      await client.connect();
    } catch (error) {
      if (closed) return;
      const cause = error instanceof PasswordUnavailableError ? error : (lastError ?? error);
      unreachable.report(describeValkeyError(cause));
      failedAttempts += 1;
      schedule(backoffMs());
    } finally {
      attemptInFlight = false;
    }
  }

  client.on('error', (error: unknown) => {
    lastError = error;
    logger.debug({ address, reason: describeValkeyError(error) }, 'valkey connection error');
  });
  client.on('ready', () => {
    failedAttempts = 0;
    unreachable.reset();
    logger.info({ address }, 'valkey connected');
    clearTimeout(ageTimer);
    ageTimer = setTimeout(recycle, maxConnectionAgeMs);
    ageTimer.unref();
  });
  client.on('end', () => {
    clearTimeout(ageTimer);
    // A failed attempt schedules its own retry; only a lost or recycled connection starts one here.
    if (closed || attemptInFlight) return;
    if (recycling) {
      recycling = false;
      schedule(0);
      return;
    }
    logger.warn({ address, reason: describeValkeyError(lastError) }, 'valkey connection lost');
    schedule(backoffMs());
  });

  function recycle() {
    if (closed || client.status !== 'ready') return;
    recycling = true;
    logger.info({ address, maxConnectionAgeMs }, 'valkey connection recycled');
    // QUIT answers after the replies already asked for, so in-flight commands still complete.
    client.quit().catch(() => client.disconnect());
  }

  void attempt();
  return {
    client,
    connected: () => client.status === 'ready',
    async close() {
      if (closed) return;
      closed = true;
      clearTimeout(retryTimer);
      clearTimeout(ageTimer);
      if (client.status === 'end') return;
      const ended = new Promise<void>((resolve) => client.once('end', () => resolve()));
      client.disconnect();
      await ended;
    },
  };
}

/** Logs `valkey unreachable` at once, then at most every 30 s until {@link reset} (connected). */
function unreachableReporter(logger: Logger, address: string, clock: Clock) {
  let lastLogMs: number | undefined;
  return {
    report(reason: string) {
      const nowMs = clock.nowMs();
      if (lastLogMs !== undefined && nowMs - lastLogMs < unreachableLogIntervalMs) return;
      lastLogMs = nowMs;
      logger.error({ address, reason }, 'valkey unreachable');
    },
    reset: () => {
      lastLogMs = undefined;
    },
  };
}

/** The provider's password, or {@link PasswordUnavailableError} when it fails or does not answer in time. */
function passwordWithin(provider: () => Promise<string>, timeoutMs: number): Promise<string> {
  const provided = () =>
    provider().catch((error: unknown) => {
      throw new PasswordUnavailableError('failed', timeoutMs, { cause: error });
    });
  return withDeadline(provided, { timeoutMs, expired: () => new PasswordUnavailableError('no_answer', timeoutMs) });
}
