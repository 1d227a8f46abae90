import type { Clock } from '../../lib/clock.js';
import type { Aead } from './tink-aead.js';

/** A keyset loader that remembers when it produced each AEAD. */
export interface TimedKeysetLoader {
  readonly load: (signal: AbortSignal) => Promise<Aead>;
  /** When `aead` was loaded by {@link TimedKeysetLoader.load}; `undefined` for one it did not load. */
  loadedAtMs(aead: Aead): number | undefined;
}

/**
 * Wraps `load` so the age of the keyset in use can be told from the AEAD the refresh holds.
 * Keyed by the AEAD itself, not "the latest load": a load that fails its self-test afterwards
 * never becomes current, so the age of the one in use keeps growing, as it should.
 */
export function timeKeysetLoads(load: (signal: AbortSignal) => Promise<Aead>, clock: Clock): TimedKeysetLoader {
  const loadedAt = new WeakMap<Aead, number>();
  return {
    async load(signal) {
      const aead = await load(signal);
      loadedAt.set(aead, clock.nowMs());
      return aead;
    },
    loadedAtMs: (aead) => loadedAt.get(aead),
  };
}
