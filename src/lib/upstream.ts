import { BridgeError, UpstreamFailedError, UpstreamTimeoutError } from '../errors.js';
import type { Clock } from './clock.js';

/** The fetch function upstream clients use; injected so tests and the pool choice stay outside. */
export type Fetch = typeof globalThis.fetch;

/** The names of the services token-bridge calls. */
export type UpstreamName = 'github' | 'buildkite' | 'oidc' | 'kms' | 'secrets-manager';

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
}

export interface UpstreamOptions {
  readonly name: UpstreamName;
  readonly timeoutMs: number;
  readonly clock: Clock;
  readonly observe?: UpstreamObserver;
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
      const report = (outcome: UpstreamCallEvent['outcome']) =>
        observe({ upstream: name, operation, durationMs: clock.nowMs() - startedMs, outcome });
      try {
        const result = await run(signal);
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
