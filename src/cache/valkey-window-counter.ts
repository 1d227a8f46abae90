import type { Valkey } from 'iovalkey';
import { ValkeyCommandError } from '../errors.js';
import type { Upstream } from '../lib/upstream.js';
import type { WindowCounter } from '../lib/window-counter.js';
import { runValkeyCommand } from './valkey-command.js';

export interface ValkeyWindowCounterOptions {
  readonly client: Valkey;
  readonly windowMs: number;
  /** Put before every counted key (`mint-limit:`), apart from the cache's and the locks' keys. */
  readonly prefix: string;
  /** Times and reports every command as a `valkey` upstream call. */
  readonly upstream?: Upstream;
}

// INCR, the window's expiry on its first count, and the time left, in one round trip. A
// key left without an expiry (written by something else) gets one, so it cannot count forever.
const countScript = `local count = redis.call('INCR', KEYS[1])
if count == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) ttl = tonumber(ARGV[1]) end
return {count, ttl}`;

/**
 * The fleet's counter: one Valkey key per counted key and window, which starts with its
 * first count and expires `windowMs` later. Throws `ValkeyCommandError` when Valkey fails
 * or answers something else than two numbers.
 */
export function createValkeyWindowCounter(options: ValkeyWindowCounterOptions): WindowCounter {
  const { client, windowMs, prefix, upstream } = options;
  return async (key) => {
    const reply = await runValkeyCommand('EVAL count', () => client.eval(countScript, 1, `${prefix}${key}`, String(windowMs)), upstream);
    if (!Array.isArray(reply) || typeof reply[0] !== 'number' || typeof reply[1] !== 'number') {
      throw new ValkeyCommandError('EVAL count', { cause: new TypeError('unexpected reply') });
    }
    return { count: reply[0], resetsInMs: reply[1] };
  };
}
