import type { Valkey } from 'iovalkey';
import { CacheValueUnreadableError, type UnreadableReason } from '../errors.js';
import type { Clock } from '../lib/clock.js';
import type { Upstream } from '../lib/upstream.js';
import type { CacheValueCodec } from './encryption/cache-value-codec.js';
import type { TokenCache } from './token-cache.js';
import { runValkeyCommand } from './valkey-command.js';

export interface ValkeyCacheOptions<V> {
  /** A client from `createValkeyClient`: it fails fast while Valkey is away. */
  readonly client: Valkey;
  /** Storage key and stored form: `plaintextCodec`, or the encrypting codec (`enc:` keys, `cb-enc:` values). */
  readonly codec: CacheValueCodec;
  readonly clock: Clock;
  /** Reads a stored JSON text back into a value; `undefined` for one of the wrong shape. */
  readonly parse: (json: string) => V | undefined;
  /** Times and reports every command as a `valkey` upstream call. */
  readonly upstream?: Upstream;
}

/**
 * The shared tier: values as JSON through the codec, under the codec's storage key, with
 * a server-side expiry (`PX`) so that Valkey drops an entry no later than its `expiresAtMs`.
 * Every failure throws: a command failure as `ValkeyCommandError`, a stored value that
 * does not decode or parse as {@link CacheValueUnreadableError}, after deleting it so that
 * the next write replaces it. Callers read a failed get as a miss, a failed set as "not cached".
 */
export function createValkeyCache<V>(options: ValkeyCacheOptions<V>): TokenCache<V> {
  const { client, codec, clock, parse, upstream } = options;

  /** Deletes an unreadable entry; whether that worked goes into the error, never silently lost. */
  async function discard(key: string, storageKey: string, reason: UnreadableReason, cause: unknown): Promise<never> {
    const deleteError = await runValkeyCommand('DEL', () => client.del(storageKey), upstream).then(
      () => undefined,
      (error: unknown) => error,
    );
    throw new CacheValueUnreadableError(key, reason, deleteError === undefined, { cause });
  }

  return {
    async get(key) {
      const storageKey = codec.storageKey(key);
      const stored = await runValkeyCommand('GET', () => client.get(storageKey), upstream);
      if (stored === null) return undefined;
      let json: string;
      try {
        json = codec.decode(key, stored);
      } catch (error) {
        return discard(key, storageKey, 'undecodable', error);
      }
      let value: V | undefined;
      try {
        value = parse(json);
      } catch (error) {
        // Not kept as the cause: a JSON parser's message quotes the text, which holds the token.
        return discard(key, storageKey, 'malformed', error instanceof Error ? error.name : 'parse failed');
      }
      return value ?? discard(key, storageKey, 'malformed', 'not a cached value');
    },
    async set(key, value, expiresAtMs) {
      // Rounded down: Valkey may drop the entry early, never serve it after expiresAtMs.
      const ttlMs = Math.floor(expiresAtMs - clock.nowMs());
      if (ttlMs <= 0) return;
      const stored = codec.encode(key, JSON.stringify(value));
      await runValkeyCommand('SET', () => client.set(codec.storageKey(key), stored, 'PX', ttlMs), upstream);
    },
  };
}
