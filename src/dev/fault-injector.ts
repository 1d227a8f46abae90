import { STATUS_CODES, type ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { sendJson } from './send-json.js';

/** One scripted failure: its status and any headers it carries (`Retry-After`, rate-limit headers). */
export interface ScriptedFailure {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
}

/**
 * Scripted misbehaviour for a fake upstream: fail the next N requests with a status, or
 * answer slowly. Each stand-in owns one; there is no shared state between servers.
 */
export interface FaultInjector {
  /** The next `count` requests (default 1) answer `status`, with `headers` when given. */
  failNext(status: number, count?: number, headers?: Readonly<Record<string, string>>): void;
  /** Every answer waits this long first (0 = no delay). */
  setDelayMs(ms: number): void;
  /** Waits the configured delay; resolves early if `signal` aborts (server closing). */
  delay(signal: AbortSignal): Promise<void>;
  /** The failure to answer this request with, consuming one scripted failure; else undefined. */
  takeFailure(): ScriptedFailure | undefined;
}

/** Creates a {@link FaultInjector} that starts with no failures and `initialDelayMs`. */
export function createFaultInjector(initialDelayMs = 0): FaultInjector {
  const failures: ScriptedFailure[] = [];
  let delayMs = initialDelayMs;
  return {
    failNext: (status, count = 1, headers = {}) => {
      for (let i = 0; i < count; i += 1) failures.push({ status, headers });
    },
    setDelayMs: (ms) => {
      delayMs = ms;
    },
    delay: async (signal) => {
      if (delayMs <= 0) return;
      await sleep(delayMs, undefined, { signal }).catch((error: unknown) => {
        // Closing the server aborts pending delays; anything else is a real failure.
        if (!signal.aborted) throw error;
      });
    },
    takeFailure: () => failures.shift(),
  };
}

/** Answers a scripted failure as the real APIs do: its headers and `{"message": …}`. */
export function sendFailure(res: ServerResponse, failure: ScriptedFailure): void {
  if (res.destroyed || res.writableEnded) return;
  for (const [name, value] of Object.entries(failure.headers)) res.setHeader(name, value);
  sendJson(res, failure.status, { message: STATUS_CODES[failure.status] ?? 'Error' });
}
