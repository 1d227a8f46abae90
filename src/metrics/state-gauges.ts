import { Gauge, type Registry } from 'prom-client';
import type { Clock } from '../lib/clock.js';
import { generationAgeSeconds } from '../lib/observation-units.js';
import type { ObservedState } from '../lib/observer.js';

/**
 * The gauges read from {@link ObservedState} at each collection rather than pushed. Before
 * `state()` has one, and for a part the state does not have (no Valkey, no profile file,
 * no cache encryption), they have no sample: an absent series, not a misleading zero.
 */
export function registerStateGauges(registry: Registry, clock: Clock, state: () => ObservedState | undefined): void {
  const gauge = (name: string, help: string, read: () => number | undefined) => readGauge(registry, name, help, read);
  const flag = (read: (() => boolean) | undefined) => (read === undefined ? undefined : read() ? 1 : 0);
  const ageSeconds = (loadedAtMs: number | undefined) =>
    loadedAtMs === undefined ? undefined : generationAgeSeconds(loadedAtMs, clock.nowMs());
  gauge(
    'token_bridge_valkey_connected',
    'Whether the shared cache (Valkey) accepts commands now: 1 or 0. No sample without a shared cache.',
    () => flag(state()?.valkeyConnected),
  );
  gauge(
    'token_bridge_ready',
    'Whether this instance vends now, as /healthcheck answers: 1 (ready) or 0 (starting or draining).',
    () => flag(state()?.ready),
  );
  gauge(
    'token_bridge_cache_encryption_keyset_age_seconds',
    'Seconds since the cache encryption keyset in use was loaded; a failed reload keeps it, so this grows. No sample without cache encryption.',
    () => ageSeconds(state()?.keysetLoadedAtMs?.()),
  );
  const generation = () => state()?.profiles();
  gauge(
    'token_bridge_profiles_generation_age_seconds',
    'Seconds since the current profile generation was loaded. No sample before the first load or without a profile file.',
    () => ageSeconds(generation()?.loadedAtMs),
  );
  new Gauge({
    name: 'token_bridge_profiles',
    help: 'Profiles in the current generation that are valid (served) or invalid (answer 404 unavailable).',
    labelNames: ['state'],
    registers: [registry],
    collect() {
      const current = generation();
      this.reset();
      if (current === undefined) return;
      this.set({ state: 'valid' }, current.valid);
      this.set({ state: 'invalid' }, current.invalid);
    },
  });
}

/** A gauge without labels whose one value `read` gives at each collection; no sample while it gives none. */
function readGauge(registry: Registry, name: string, help: string, read: () => number | undefined): void {
  new Gauge({
    name,
    help,
    registers: [registry],
    collect() {
      const value = read();
      if (value === undefined) this.remove();
      else this.set(value);
    },
  });
}
