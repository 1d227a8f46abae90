import { setTimeout as delay } from 'node:timers/promises';
import type { Logger } from 'pino';
import type { TokenCache } from '../cache/token-cache.js';
import type { Clock } from '../lib/clock.js';
import { servedFromCache } from './cache-coverage.js';
import { cacheKeyOf, expiresAtMsOf, type ProfileToken, type VendResult, type Vendor } from './vendor.js';

/** A lock shared by the fleet (Valkey `SET NX PX` with compare-and-delete release). */
export interface FleetLock {
  acquire(key: string, ttlMs: number): Promise<string | undefined>;
  release(key: string, token: string): Promise<void>;
  held(key: string): Promise<boolean>;
}

export interface FleetCoalescedVendorOptions {
  readonly lock: FleetLock;
  /** The shared tier: where the lock holder stores, and where the others look. */
  readonly shared: TokenCache<ProfileToken>;
  readonly clock: Clock;
  readonly minTokenLifetimeMs: number;
  readonly gitHost: string;
  readonly logger: Logger;
  readonly pollIntervalMs?: number;
  readonly maxWaitMs?: number;
  readonly lockTtlMs?: number;
  readonly sleep?: (ms: number) => Promise<void>;
}

/**
 * One mint per token across the fleet. On a miss, the instance that takes the lock mints
 * and stores in the shared tier before releasing it; the others poll the shared tier and
 * take the stored token, or mint themselves once the holder is gone or the wait is over.
 * Every token this instance mints is stored here, once: this is the shared tier's writer.
 * The lock is an optimisation, never a dependency: if Valkey fails, everyone just mints.
 */
export function fleetCoalescedVendor(options: FleetCoalescedVendorOptions, inner: Vendor): Vendor {
  const { lock, shared, clock, logger } = options;
  const pollIntervalMs = options.pollIntervalMs ?? 50;
  const maxWaitMs = options.maxWaitMs ?? 5000;
  const lockTtlMs = options.lockTtlMs ?? 10_000;
  const sleep = options.sleep ?? ((ms: number) => delay(ms));

  const storeUntilMs = (token: ProfileToken) => expiresAtMsOf(token) - options.minTokenLifetimeMs;

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
  async function storedFor(key: string, request: Parameters<Vendor>[0]): Promise<VendResult | undefined> {
    const token = await tolerant(() => shared.get(key), undefined);
    if (token === undefined || storeUntilMs(token) <= clock.nowMs()) return undefined;
    const served = servedFromCache(token, request.resolved, request.requestedRepositoryUrl, options.gitHost);
    return served === undefined ? undefined : { kind: 'issued', token: served };
  }

  /** Stores a token this instance minted, for the fleet; off the request path, never failing it. */
  async function store(key: string, result: VendResult): Promise<void> {
    const issued = result.kind === 'issued' ? result.token : undefined;
    if (issued !== undefined && storeUntilMs(issued) > clock.nowMs()) {
      await tolerant(() => shared.set(key, issued, storeUntilMs(issued)), undefined);
    }
  }

  /** Mints without the lock (no holder to wait for any more, or no lock to be had), then stores. */
  async function mintAlone(key: string, request: Parameters<Vendor>[0]): Promise<VendResult> {
    const minted = await inner(request);
    void store(key, minted);
    return minted;
  }

  /**
   * Mints holding the lock. The store and then the release run after the answer is sent,
   * in that order (a waiter that finds the lock gone finds the token), and outside the
   * request: a slow Valkey must not delay it, nor keep the others waiting on a lock.
   */
  async function mintHoldingLock(key: string, holder: string, request: Parameters<Vendor>[0]): Promise<VendResult> {
    let minted: VendResult | undefined;
    try {
      // Another instance may have stored the token between our cache miss and the lock.
      const stored = await storedFor(key, request);
      if (stored !== undefined) return stored;
      minted = await inner(request);
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
  async function waitForHolder(key: string, request: Parameters<Vendor>[0]): Promise<VendResult | undefined> {
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

  return async (request) => {
    const key = cacheKeyOf(request.resolved);
    const holder = await tolerant(() => lock.acquire(key, lockTtlMs), null);
    if (holder === null) return mintAlone(key, request);
    if (holder !== undefined) return mintHoldingLock(key, holder, request);
    return (await waitForHolder(key, request)) ?? mintAlone(key, request);
  };
}
