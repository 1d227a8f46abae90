import { randomBytes } from 'node:crypto';
import type { Valkey } from 'iovalkey';
import type { Upstream } from '../lib/upstream.js';
import { runValkeyCommand } from './valkey-command.js';

/** A lock the whole fleet sees, one per logical cache key; for coalescing mints. */
export interface ValkeyLock {
  /** Takes the lock for `ttlMs` (default 10 s); the holder's token, or `undefined` when another holds it. */
  acquire(logicalKey: string, ttlMs?: number): Promise<string | undefined>;
  /** Releases the lock if `token` still holds it; a lock that expired and was taken by another stays theirs. */
  release(logicalKey: string, token: string): Promise<void>;
  /** Whether anyone holds the lock now. */
  held(logicalKey: string): Promise<boolean>;
}

export interface ValkeyLockOptions {
  readonly client: Valkey;
  /** Times and reports every command as a `valkey` upstream call. */
  readonly upstream?: Upstream;
}

// Compare-and-delete in one step: a GET then DEL from here could delete a lock that
// expired in between and was taken by another instance.
const releaseScript = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`;

/**
 * Fleet-wide locks as `SET lock:<logical key> <random token> NX PX <ttl>`. The expiry
 * bounds how long a holder that died blocks the others; only the holder's token releases.
 * Every command failure throws `ValkeyCommandError`; callers then go without the lock.
 */
export function createValkeyLock(options: ValkeyLockOptions): ValkeyLock {
  const { client, upstream } = options;
  const lockKey = (logicalKey: string) => `lock:${logicalKey}`;
  return {
    async acquire(logicalKey, ttlMs = 10_000) {
      const token = randomBytes(16).toString('hex');
      const answer = await runValkeyCommand('SET NX', () => client.set(lockKey(logicalKey), token, 'PX', Math.max(1, Math.ceil(ttlMs)), 'NX'), upstream);
      return answer === 'OK' ? token : undefined;
    },
    async release(logicalKey, token) {
      await runValkeyCommand('EVAL release', () => client.eval(releaseScript, 1, lockKey(logicalKey), token), upstream);
    },
    async held(logicalKey) {
      return (await runValkeyCommand('EXISTS', () => client.exists(lockKey(logicalKey)), upstream)) === 1;
    },
  };
}
