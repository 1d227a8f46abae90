import { Writable } from 'node:stream';
import { pino, type Logger } from 'pino';
import { AuditEntry } from '../../src/audit/audit-entry.js';
import type { TokenCache } from '../../src/cache/token-cache.js';
import { createManualClock, type Clock } from '../../src/lib/clock.js';
import { hashToken } from '../../src/lib/hash.js';
import { builtInDigest, unrestrictedPipelineProfile } from '../../src/profile/built-in-profiles.js';
import type { MatchResult, PipelineProfile } from '../../src/profile/profile.js';
import { cachedVendor, type CachedVendorOptions } from '../../src/vending/cached-vendor.js';
import { createLocalTokenStore } from '../../src/vending/token-store.js';
import type { ProfileToken, ResolvedPipelineProfile, VendRequest, VendResult, Vendor } from '../../src/vending/vendor.js';
import { claims } from '../profile/profile-fixtures.js';

export { claims };

export const startMs = Date.UTC(2026, 10, 23, 18, 0, 0);
export const minute = 60_000;
export const widgetUrl = 'https://github.com/acme/widget';

/** A profile resolved by hand, as the resolver would for the default job. */
export function resolvedProfile(
  overrides: { name?: string; permissions?: readonly string[]; match?: PipelineProfile['match'] } = {},
): ResolvedPipelineProfile {
  const base = unrestrictedPipelineProfile(overrides.name ?? 'default', overrides.permissions ?? ['contents:read']);
  const profile: PipelineProfile = overrides.match === undefined ? base : { ...base, match: overrides.match };
  return {
    family: 'pipeline',
    profile,
    digest: builtInDigest,
    urn: `profile://organization/acme/pipeline/${claims.pipelineId}/widget/profile/${profile.name}`,
    shortName: `repo:${profile.name}`,
  };
}

export const unmatched = (pattern = 'deploy-.*'): (() => MatchResult) => () => ({
  matched: false,
  attempted: { claim: 'pipeline_slug', pattern, value: 'widget' },
});

export function auditEntry(): AuditEntry {
  return new AuditEntry({ requestId: 'req-1', method: 'POST', path: '/token', sourceIP: '127.0.0.1', userAgent: 'vitest' });
}

export function vendRequest(overrides: Partial<VendRequest<ResolvedPipelineProfile>> = {}): VendRequest<ResolvedPipelineProfile> {
  return { claims, resolved: resolvedProfile(), requestedRepositoryUrl: undefined, audit: auditEntry(), ...overrides };
}

/** A token for the widget repository that expires at `expiresAtMs`. */
export function profileToken(expiresAtMs: number, token = `ghs_${expiresAtMs}`): ProfileToken {
  return {
    organizationSlug: 'acme',
    profile: 'repo:default',
    repositoryUrl: widgetUrl,
    repositories: { names: ['widget'] },
    permissions: ['contents:read', 'metadata:read'],
    token,
    hashedToken: hashToken(token),
    expiry: new Date(expiresAtMs).toISOString(),
  };
}

/** An inner vendor that answers `answer()` and counts its calls. */
export function countingVendor(answer: (request: VendRequest<ResolvedPipelineProfile>) => Promise<VendResult>) {
  const calls: VendRequest<ResolvedPipelineProfile>[] = [];
  const vendor: Vendor<ResolvedPipelineProfile> = (request) => {
    calls.push(request);
    return answer(request);
  };
  return { vendor, calls };
}

/** A cache that keeps everything forever, so only the vendor's own rules decide what is served. */
export function foreverCache<V>() {
  const entries = new Map<string, { value: V; expiresAtMs: number }>();
  const counts = { get: 0, set: 0 };
  const cache: TokenCache<V> = {
    get: async (key) => {
      counts.get += 1;
      return entries.get(key)?.value;
    },
    set: async (key, value, expiresAtMs) => {
      counts.set += 1;
      entries.set(key, { value, expiresAtMs });
    },
  };
  return { cache, entries, counts };
}

/** A pino logger whose lines the test can read. */
export function capturedLogger(): { logger: Logger; lines: Record<string, unknown>[] } {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
      done();
    },
  });
  return { logger: pino({ level: 'debug' }, stream), lines };
}

/** The cache stage over the memory-tier store (`cache`), as one instance's chain has it. */
export function cachedOver(
  cache: TokenCache<ProfileToken>,
  options: { clock?: Clock; minTokenLifetimeMs: number; logger?: Logger; onResult?: CachedVendorOptions['onResult'] },
  inner: Vendor<ResolvedPipelineProfile>,
): Vendor<ResolvedPipelineProfile> {
  const clock = options.clock ?? createManualClock(startMs);
  const { minTokenLifetimeMs } = options;
  const store = createLocalTokenStore({ cache, clock, minTokenLifetimeMs, logger: options.logger ?? capturedLogger().logger });
  return cachedVendor({ store, clock, minTokenLifetimeMs, gitHost: 'github.com', ...(options.onResult && { onResult: options.onResult }) }, inner);
}
