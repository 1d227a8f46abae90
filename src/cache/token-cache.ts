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
}

/** A tier of the token cache, as metrics name it. */
export type CacheTier = 'memory' | 'valkey';

/** What one tier answered a lookup: a value, nothing, or a failure (which reads as nothing). */
export type TierAnswer = 'found' | 'absent' | 'failed';

/**
 * One lookup through the tiers: the value, and every tier asked, in order, with its answer.
 * Only the last tier asked can have `found`.
 */
export interface TieredLookup<V> {
  readonly value: V | undefined;
  readonly tiers: readonly { readonly tier: CacheTier; readonly answer: TierAnswer }[];
}
