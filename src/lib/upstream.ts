import { BridgeError, UpstreamFailedError, UpstreamTimeoutError } from '../errors.js';
import type { Clock } from './clock.js';

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

/** Runs calls to one upstream with a deadline, and reports each one. */
export interface Upstream {
  readonly name: UpstreamName;
  /**
   * Runs `operation`, aborting it after the deadline. Throws {@link UpstreamTimeoutError}
   * when the deadline passed, passes a {@link BridgeError} through, and turns anything
   * else (a refused connection, a reset) into {@link UpstreamFailedError}.
   */
  call<T>(operation: string, run: (signal: AbortSignal) => Promise<T>): Promise<T>;
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
  readonly tracer?: UpstreamTracer;
}

/** The instrumented wrapper every upstream call goes through. */
export function createUpstream(options: UpstreamOptions): Upstream {
  const { name, timeoutMs, clock } = options;
  const observe = options.observe ?? (() => undefined);
  return {
    name,
    async call(operation, run) {
      const startedMs = clock.nowMs();
      const signal = AbortSignal.timeout(timeoutMs);
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
          throw new UpstreamTimeoutError(name, operation, timeoutMs, { cause: error });
        }
        if (error instanceof BridgeError) {
          report(error.code === 'upstream_refused' ? 'refused' : 'failed');
          throw error;
        }
        report('failed');
        throw new UpstreamFailedError(name, operation, describeNetworkError(error), { cause: error });
      }
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
