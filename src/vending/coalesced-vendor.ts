import { createSingleFlight } from '../lib/single-flight.js';
import type { ResolvedProfile } from '../profile/profile-resolver.js';
import { cacheKeyOf, type VendResult, type Vendor } from './vendor.js';

/**
 * Concurrent requests for the same token (same cache key and requested repository) share
 * one pass through the inner chain, so a cold burst costs one mint, not one per caller.
 */
export function coalescedVendor<R extends ResolvedProfile>(inner: Vendor<R>): Vendor<R> {
  const flight = createSingleFlight<VendResult>();
  return (request) =>
    flight.run(`${cacheKeyOf(request.resolved)}\n${request.requestedRepositoryUrl ?? ''}`, () => inner(request));
}
