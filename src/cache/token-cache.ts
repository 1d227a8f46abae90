/**
 * An asynchronous, expiry-aware cache: an entry is served until the time it was stored
 * with, never after. Asynchronous so that a shared tier (Valkey) fits the same shape.
 * Implementations report their own failures by throwing; callers treat a failed get as a
 * miss and a failed set as "not cached".
 */
export interface TokenCache<V> {
  get(key: string): Promise<V | undefined>;
  /** Stores `value` until `expiresAtMs` (epoch ms); a time already past stores nothing. */
  set(key: string, value: V, expiresAtMs: number): Promise<void>;
  invalidate(key: string): Promise<void>;
}
