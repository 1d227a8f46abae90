import { Gauge, type Registry } from 'prom-client';
import type { Clock } from '../lib/clock.js';
import { generationAgeSeconds } from '../lib/observation-units.js';
import type { ObservedState } from '../lib/observer.js';

/**
 * The gauges read from {@link ObservedState} at each collection rather than pushed. Before
 * `state()` has one, and for a part the state does not have (no Valkey, no profile file),
 * they have no sample: an absent series, not a misleading zero.
 */
export function registerStateGauges(registry: Registry, clock: Clock, state: () => ObservedState | undefined): void {
  const registers = [registry];
  new Gauge({
    name: 'token_bridge_valkey_connected',
    help: 'Whether the shared cache (Valkey) accepts commands now: 1 or 0. No sample without a shared cache.',
    registers,
    collect() {
      const connected = state()?.valkeyConnected;
      if (connected === undefined) this.remove();
      else this.set(connected() ? 1 : 0);
    },
  });
  new Gauge({
    name: 'token_bridge_ready',
    help: 'Whether this instance vends now, as /healthcheck answers: 1 (ready) or 0 (starting or draining).',
    registers,
    collect() {
      const ready = state()?.ready;
      if (ready === undefined) this.remove();
      else this.set(ready() ? 1 : 0);
    },
  });
  new Gauge({
    name: 'token_bridge_cache_encryption_keyset_age_seconds',
    help: 'Seconds since the cache encryption keyset in use was loaded; a failed reload keeps it, so this grows. No sample without cache encryption.',
    registers,
    collect() {
      const loadedAtMs = state()?.keysetLoadedAtMs?.();
      if (loadedAtMs === undefined) this.remove();
      else this.set(generationAgeSeconds(loadedAtMs, clock.nowMs()));
    },
  });
  const generation = () => state()?.profiles();
  new Gauge({
    name: 'token_bridge_profiles_generation_age_seconds',
    help: 'Seconds since the current profile generation was loaded. No sample before the first load or without a profile file.',
    registers,
    collect() {
      const current = generation();
      if (current === undefined) this.remove();
      else this.set(generationAgeSeconds(current.loadedAtMs, clock.nowMs()));
    },
  });
  new Gauge({
    name: 'token_bridge_profiles',
    help: 'Profiles in the current generation that are valid (served) or invalid (answer 404 unavailable).',
    labelNames: ['state'],
    registers,
    collect() {
      const current = generation();
      this.reset();
      if (current === undefined) return;
      this.set({ state: 'valid' }, current.valid);
      this.set({ state: 'invalid' }, current.invalid);
    },
  });
}
