import type { ProfileGeneration } from './profile.js';

/**
 * Holds the current profile generation. A generation is replaced whole, never edited, so
 * a request that reads `current()` once sees one consistent set of profiles (and one
 * digest) for its whole life, even while a refresh replaces it.
 */
export interface ProfileStore {
  /** The current generation; `undefined` until the first one is given. */
  current(): ProfileGeneration | undefined;
  /**
   * Makes `generation` current. `loadedAtMs` is when it was read from its source; leave it
   * out for a generation that was not loaded (built-in defaults).
   */
  replace(generation: ProfileGeneration, loadedAtMs?: number): void;
  /** When the current generation was loaded, or `undefined` for the seed or an unloaded one. */
  readonly loadedAtMs: number | undefined;
}

/** A store seeded with `initial` (typically the built-in generation), or empty. */
export function createProfileStore(initial?: ProfileGeneration): ProfileStore {
  let state: { generation: ProfileGeneration | undefined; loadedAtMs: number | undefined } = {
    generation: initial,
    loadedAtMs: undefined,
  };
  return {
    current: () => state.generation,
    replace(generation, loadedAtMs) {
      // One assignment: a reader never sees a generation with another one's load time.
      state = { generation, loadedAtMs };
    },
    get loadedAtMs() {
      return state.loadedAtMs;
    },
  };
}

/** A loaded generation's load time and profile counts, as metrics read them. */
export interface GenerationSummary {
  readonly loadedAtMs: number;
  readonly valid: number;
  readonly invalid: number;
}

/**
 * The current generation's summary, or `undefined` when none was loaded from a file
 * (before the first load, or the built-in profiles).
 */
export function summarizeGeneration(store: ProfileStore): GenerationSummary | undefined {
  const generation = store.current();
  const { loadedAtMs } = store;
  if (generation === undefined || loadedAtMs === undefined) return undefined;
  return {
    loadedAtMs,
    valid: generation.pipelineProfiles.size + generation.organizationProfiles.size,
    invalid: generation.invalidPipelineProfiles.size + generation.invalidOrganizationProfiles.size,
  };
}
