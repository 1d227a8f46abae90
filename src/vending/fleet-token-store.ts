import { setTimeout as delay } from 'node:timers/promises';
import type { Logger } from 'pino';
import { createTieredLookup } from '../cache/tiered-cache.js';
import type { TokenCache } from '../cache/token-cache.js';
import type { Clock } from '../lib/clock.js';
import { servedTo } from './cached-vendor.js';
import type { ProfileToken } from './profile-token.js';
import { keepServable, type TokenStore } from './token-store.js';
import { isServable, unservableFromMs } from './token-rules.js';
import type { VendRequest, VendResult } from './vendor.js';

/** A lock shared by the fleet (Valkey `SET NX PX` with compare-and-delete release). */
export interface FleetLock {
  acquire(key: string, ttlMs: number): Promise<string | undefined>;
  release(key: string, token: string): Promise<void>;
  held(key: string): Promise<boolean>;
}

export interface FleetTokenStoreOptions {
  /** This instance's memory tier, asked first and filled with every token it vends. */
  readonly local: TokenCache<ProfileToken>;
  /** The shared tier: where the lock holder stores, and where the others look. */
  readonly shared: TokenCache<ProfileToken>;
  readonly lock: FleetLock;
  readonly clock: Clock;
  readonly minTokenLifetimeMs: number;
  readonly gitHost: string;
  readonly logger: Logger;
  readonly pollIntervalMs?: number;
  readonly maxWaitMs?: number;
  readonly lockTtlMs?: number;
  readonly sleep?: (ms: number) => Promise<void>;
}

type Mint<R extends VendRequest> = (request: R) => Promise<VendResult>;

/**
 * The memory tier in front of Valkey, with one mint per token across the fleet. On a miss,
 * the instance that takes the lock mints and stores in the shared tier before releasing it;
 * the others poll the shared tier and take the stored token, or mint themselves once the
 * holder is gone or the wait is over. Every token this instance mints is stored in the
 * shared tier once: this is its one writer. The lock is an optimisation, never a
 * dependency: if Valkey fails, everyone just mints.
 */
export function createFleetTokenStore(options: FleetTokenStoreOptions): TokenStore {
  const { lock, shared, clock, logger, minTokenLifetimeMs } = options;
  const pollIntervalMs = options.pollIntervalMs ?? 50;
  const maxWaitMs = options.maxWaitMs ?? 5000;
  const lockTtlMs = options.lockTtlMs ?? 10_000;
  const sleep = options.sleep ?? ((ms: number) => delay(ms));
  const untilMs = (token: ProfileToken) => unservableFromMs(token, minTokenLifetimeMs);
  const local = { cache: options.local, clock, minTokenLifetimeMs, logger };

  /** Runs a shared-tier operation; its failure is logged and read as `fallback`. */
  async function tolerant<T>(operation: () => Promise<T>, fallback: T): Promise<T> {
    try {
      return await operation();
    } catch (error) {
      logger.warn({ err: error }, 'fleet coalescing unavailable, minting locally');
      return fallback;
    }
  }

  /** A stored token this request may be given, if the shared tier has one. */
  async function storedFor(key: string, request: VendRequest): Promise<VendResult | undefined> {
    const token = await tolerant(() => shared.get(key), undefined);
    if (token === undefined || !isServable(token, clock.nowMs(), minTokenLifetimeMs)) return undefined;
    const served = servedTo(token, request, options.gitHost);
    return served === undefined ? undefined : { kind: 'issued', token: served };
  }

  /** Stores a token this instance minted, for the fleet; off the request path, never failing it. */
  async function store(key: string, result: VendResult): Promise<void> {
    const issued = result.kind === 'issued' ? result.token : undefined;
    if (issued !== undefined && isServable(issued, clock.nowMs(), minTokenLifetimeMs)) {
      await tolerant(() => shared.set(key, issued, untilMs(issued)), undefined);
    }
  }

  /** Mints without the lock (no holder to wait for any more, or no lock to be had), then stores. */
  async function mintAlone<R extends VendRequest>(key: string, request: R, mint: Mint<R>): Promise<VendResult> {
    const minted = await mint(request);
    void store(key, minted);
    return minted;
  }

  /**
   * Mints holding the lock. The store and then the release run after the answer is sent,
   * in that order (a waiter that finds the lock gone finds the token), and outside the
   * request: a slow Valkey must not delay it, nor keep the others waiting on a lock.
   */
  async function mintHoldingLock<R extends VendRequest>(key: string, holder: string, request: R, mint: Mint<R>) {
    let minted: VendResult | undefined;
    try {
      // Another instance may have stored the token between our cache miss and the lock.
      const stored = await storedFor(key, request);
      if (stored !== undefined) return stored;
      minted = await mint(request);
      return minted;
    } finally {
      const toStore = minted;
      void (async () => {
        if (toStore !== undefined) await store(key, toStore);
        await tolerant(() => lock.release(key, holder), undefined);
      })();
    }
  }

  /** The holder's token once it is stored; `undefined` when the holder is gone or the wait ran out. */
  async function waitForHolder(key: string, request: VendRequest): Promise<VendResult | undefined> {
    const deadline = clock.nowMs() + maxWaitMs;
    while (clock.nowMs() < deadline) {
      await sleep(pollIntervalMs);
      const stored = await storedFor(key, request);
      if (stored !== undefined) return stored;
      // The holder stores before it releases: one more look once the lock is gone.
      if (!(await tolerant(() => lock.held(key), false))) return storedFor(key, request);
    }
    return undefined;
  }

  /** The fleet's answer for a key nothing servable was found for. */
  async function fleetFill<R extends VendRequest>(key: string, request: R, mint: Mint<R>): Promise<VendResult> {
    const holder = await tolerant(() => lock.acquire(key, lockTtlMs), null);
    if (holder === null) return mintAlone(key, request, mint);
    if (holder !== undefined) return mintHoldingLock(key, holder, request, mint);
    return (await waitForHolder(key, request)) ?? mintAlone(key, request, mint);
  }

  return {
    lookUp: createTieredLookup({ local: options.local, shared, logger, keepLocallyUntilMs: untilMs }),
    async fill(key, request, mint) {
      const vended = await fleetFill(key, request, mint);
      await keepServable(local, key, vended);
      return vended;
    },
  };
}
