import { BridgeError, UpstreamFailedError, UpstreamTimeoutError } from '../errors.js';
import type { BackoffOptions } from './backoff.js';
import type { Clock } from './clock.js';
import { systemTimers, type Timers } from './timers.js';
import { callWithRetries, type CallBounds, type RetryReason } from './upstream-retry.js';

/** The fetch function upstream clients use; injected so tests and the pool choice stay outside. */
export type Fetch = typeof globalThis.fetch;

/** The names of the services token-bridge calls. */
export type UpstreamName = 'github' | 'buildkite' | 'oidc' | 'kms' | 'secrets-manager' | 'valkey';

/** What one upstream call did; metrics and traces hang on this. */
export interface UpstreamCallEvent {
  readonly upstream: UpstreamName;
  readonly operation: string;
  readonly durationMs: number;
  readonly outcome: 'ok' | 'refused' | 'failed' | 'timeout';
}

export type UpstreamObserver = (event: UpstreamCallEvent) => void;

/** One retry of an upstream call, after an attempt that failed for `reason`. */
export interface UpstreamRetryEvent {
  readonly upstream: UpstreamName;
  readonly operation: string;
  readonly reason: RetryReason;
}

/** Runs calls to one upstream with a deadline, and reports each one. */
export interface Upstream {
  readonly name: UpstreamName;
  /**
   * Runs `operation`, aborting each attempt after the deadline. Throws
   * {@link UpstreamTimeoutError} when the deadline passed, passes a {@link BridgeError}
   * through, and turns anything else (a refused connection, a reset) into a retryable
   * {@link UpstreamFailedError}. With a budget in `bounds`, retries within it (see
   * upstream-retry.ts); with a gate, makes no attempt while that rate limit is spent.
   * Every attempt is reported on its own.
   */
  call<T>(operation: string, run: (signal: AbortSignal) => Promise<T>, bounds?: CallBounds): Promise<T>;
  /**
   * Runs `operation` and reports it like {@link call}, for a client that keeps its own
   * deadline and errors (Valkey): no deadline is added and a failure is rethrown unchanged,
   * reported as `outcomeOf(error)` (default `failed`).
   */
  measure<T>(operation: string, run: () => Promise<T>, outcomeOf?: (error: unknown) => UpstreamFailureOutcome): Promise<T>;
}

/** How a failed call is reported. */
export type UpstreamFailureOutcome = Exclude<UpstreamCallEvent['outcome'], 'ok'>;

/** The trace span of one upstream call. */
export interface UpstreamSpan {
  /** Runs `work` with this span active, so the requests it makes become the span's children. */
  run<T>(work: () => Promise<T>): Promise<T>;
  end(outcome: UpstreamCallEvent['outcome']): void;
}

/** Starts a CLIENT span per upstream call; given only when tracing is on. */
export type UpstreamTracer = (upstream: UpstreamName, operation: string) => UpstreamSpan;

export interface UpstreamOptions {
  readonly name: UpstreamName;
  readonly timeoutMs: number;
  readonly clock: Clock;
  readonly observe?: UpstreamObserver;
  /** Told of every retry. */
  readonly observeRetry?: (event: UpstreamRetryEvent) => void;
  readonly tracer?: UpstreamTracer;
  /** How retries wait; default: the host's timers, 100 ms doubling up to 5 s, `Math.random` jitter. */
  readonly retry?: { readonly timers?: Timers; readonly backoff?: BackoffOptions };
}

/** The default backoff: about 100 ms, doubling, never more than 5 s before jitter. */
export const defaultBackoff: BackoffOptions = { firstDelayMs: 100, maxDelayMs: 5000, random: Math.random };

/** The instrumented wrapper every upstream call goes through. */
export function createUpstream(options: UpstreamOptions): Upstream {
  const { name, timeoutMs, clock } = options;
  const observe = options.observe ?? (() => undefined);
  const timers = options.retry?.timers ?? systemTimers;
  const timing = {
    clock,
    backoff: options.retry?.backoff ?? defaultBackoff,
    pause: (ms: number) => new Promise<void>((resolve) => timers.setTimeout(resolve, ms)),
  };
  async function attempt<T>(operation: string, run: (signal: AbortSignal) => Promise<T>, attemptTimeoutMs: number): Promise<T> {
    const startedMs = clock.nowMs();
    const signal = AbortSignal.timeout(attemptTimeoutMs);
    const span = options.tracer?.(name, operation);
    const report = (outcome: UpstreamCallEvent['outcome']) => {
      span?.end(outcome);
      observe({ upstream: name, operation, durationMs: clock.nowMs() - startedMs, outcome });
    };
    try {
      const result = await (span ? span.run(() => run(signal)) : run(signal));
      report('ok');
      return result;
    } catch (error) {
      if (signal.aborted) {
        report('timeout');
        throw new UpstreamTimeoutError(name, operation, attemptTimeoutMs, { cause: error });
      }
      if (error instanceof BridgeError) {
        report(error.code === 'upstream_refused' ? 'refused' : 'failed');
        throw error;
      }
      report('failed');
      throw new UpstreamFailedError(name, operation, describeNetworkError(error), { cause: error, retryable: true });
    }
  }
  return {
    name,
    call(operation, run, bounds = {}) {
      const onRetry = options.observeRetry && ((reason: RetryReason) => options.observeRetry?.({ upstream: name, operation, reason }));
      return callWithRetries((attemptTimeoutMs) => attempt(operation, run, attemptTimeoutMs), {
        ...timing,
        upstream: name,
        operation,
        timeoutMs,
        bounds,
        onRetry,
      });
    },
    async measure(operation, run, outcomeOf = () => 'failed') {
      const startedMs = clock.nowMs();
      const span = options.tracer?.(name, operation);
      const report = (outcome: UpstreamCallEvent['outcome']) => {
        span?.end(outcome);
        observe({ upstream: name, operation, durationMs: clock.nowMs() - startedMs, outcome });
      };
      try {
        const result = await (span ? span.run(run) : run());
        report('ok');
        return result;
      } catch (error) {
        report(outcomeOf(error));
        throw error;
      }
    },
  };
}

/** A short, secret-free description of a transport error: its code, never its message. */
function describeNetworkError(error: unknown): string {
  let candidate: unknown = error;
  for (let depth = 0; depth < 4 && candidate instanceof Error; depth += 1) {
    if ('code' in candidate && typeof candidate.code === 'string') return candidate.code;
    candidate = candidate.cause;
  }
  return error instanceof Error ? error.name : 'unknown error';
}

/** Reads a JSON body, or `undefined` when the body is not JSON. */
export async function readJson(response: Response): Promise<unknown> {
  const text = await response.text();
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
