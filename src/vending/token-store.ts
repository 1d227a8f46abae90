import type { Logger } from 'pino';
import type { TieredLookup, TokenCache } from '../cache/token-cache.js';
import type { Clock } from '../lib/clock.js';
import type { ProfileToken } from './profile-token.js';
import { isServable, unservableFromMs } from './token-rules.js';
import type { VendRequest, VendResult, Vendor } from './vendor.js';

/**
 * Where the cache stage keeps tokens: the memory tier alone ({@link createLocalTokenStore}),
 * or the memory tier in front of Valkey with the fleet lock (fleet-token-store.ts).
 */
export interface TokenStore {
  /** Every tier asked, in order, with its answer. Never throws: a failed tier reads as absent. */
  lookUp(key: string): Promise<TieredLookup<ProfileToken>>;
  /**
   * Answers a request nothing servable was found for: runs `mint` (or takes what another
   * instance minted meanwhile) and keeps an issued token while it is servable. A failing
   * store never fails the request.
   */
  fill<R extends VendRequest>(key: string, request: R, mint: (request: R) => ReturnType<Vendor>): Promise<VendResult>;
}

export interface LocalTokenStoreOptions {
  readonly cache: TokenCache<ProfileToken>;
  readonly clock: Clock;
  readonly minTokenLifetimeMs: number;
  readonly logger: Logger;
}

// The memory tier's answers, shared by every lookup (read-only): none is built per request.
const memoryFound: TieredLookup<ProfileToken>['tiers'] = Object.freeze([Object.freeze({ tier: 'memory', answer: 'found' } as const)]);
const memoryAbsent: TieredLookup<ProfileToken>['tiers'] = Object.freeze([Object.freeze({ tier: 'memory', answer: 'absent' } as const)]);
const memoryFailed: TieredLookup<ProfileToken>['tiers'] = Object.freeze([Object.freeze({ tier: 'memory', answer: 'failed' } as const)]);

/** One instance's store: the memory tier. */
export function createLocalTokenStore(options: LocalTokenStoreOptions): TokenStore {
  const { cache, logger } = options;
  return {
    async lookUp(key) {
      try {
        const value = await cache.get(key);
        return { value, tiers: value === undefined ? memoryAbsent : memoryFound };
      } catch (error) {
        logger.warn({ err: error, key }, 'cache get failed');
        return { value: undefined, tiers: memoryFailed };
      }
    },
    async fill(key, request, mint) {
      const vended = await mint(request);
      await keepServable(options, key, vended);
      return vended;
    },
  };
}

/** Keeps an issued token in `cache` until it stops being servable; a failure is only logged. */
export async function keepServable(options: LocalTokenStoreOptions, key: string, vended: VendResult): Promise<void> {
  if (vended.kind !== 'issued' || !isServable(vended.token, options.clock.nowMs(), options.minTokenLifetimeMs)) return;
  try {
    await options.cache.set(key, vended.token, unservableFromMs(vended.token, options.minTokenLifetimeMs));
  } catch (error) {
    options.logger.warn({ err: error, key }, 'cache set failed');
  }
}
