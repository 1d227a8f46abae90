import type { Logger } from 'pino';
import { NotReadyError } from '../errors.js';
import type { Clock } from '../lib/clock.js';
import type { ProfileGeneration } from './profile.js';
import type { ProfileSource } from './profile-source.js';
import type { ProfileStore } from './profile-store.js';
import { startPeriodicLoop } from '../lib/periodic-loop.js';
import type { Timers } from '../lib/timers.js';

/** What compiling a whole profile file gives: a generation (with warnings) or the reason it failed. */
export type CompileResult =
  | { readonly ok: true; readonly generation: ProfileGeneration; readonly warnings: readonly string[] }
  | { readonly ok: false; readonly problem: string };

/** Compiles the raw profile file text; never throws for a bad file, answers `ok: false`. */
export type CompileProfileFile = (text: string) => CompileResult;

export interface ProfileRefreshOptions {
  readonly source: ProfileSource;
  readonly compile: CompileProfileFile;
  readonly store: ProfileStore;
  readonly clock: Clock;
  /** Between runs once a load succeeded (Chinmina: 5 minutes). */
  readonly intervalMs: number;
  /** Between runs until the first load succeeds; default 5000 (Chinmina's 5 s). */
  readonly retryIntervalMs?: number;
  readonly logger: Logger;
  /** Called once, after the first successful load (the instance may then report ready). */
  readonly onFirstLoad?: () => void;
  readonly timers?: Timers;
}

/** A running refresh. */
export interface ProfileRefresh {
  /** Stops scheduling; a run in flight finishes but its result is discarded. Idempotent. */
  stop(): void;
  /**
   * Resolves after the first successful load; rejects with {@link NotReadyError} when
   * stopped before one. Never rejects unhandled: nobody has to await it.
   */
  readonly firstLoad: Promise<void>;
}

/** The counts and digest a generation is logged with. */
interface GenerationStats {
  readonly digest: string;
  readonly pipelineProfiles: number;
  readonly invalidPipelineProfiles: number;
  readonly organizationProfiles: number;
  readonly invalidOrganizationProfiles: number;
}

/**
 * Keeps `store` current with the profile file at `source`, as Chinmina's profile daemon
 * does: the first run starts at once; until one succeeds, runs repeat every
 * `retryIntervalMs`; afterwards every `intervalMs`, failed runs included, without backoff.
 * Runs never overlap (the next is scheduled when one ends). A run that fails to read or
 * compile the file keeps the last good generation and logs a warning; nothing escapes a
 * timer callback. Only a whole, successfully compiled file replaces the generation.
 */
export function startProfileRefresh(options: ProfileRefreshOptions): ProfileRefresh {
  const { source, store, logger, clock } = options;
  const retryIntervalMs = options.retryIntervalMs ?? 5000;
  const log = logger.child({ location: source.location });
  let loaded = false;
  let settleFirstLoad: { resolve(): void; reject(error: Error): void } | undefined;
  const firstLoad = new Promise<void>((resolve, reject) => {
    settleFirstLoad = { resolve, reject };
  });
  // Awaiting is optional: a rejection nobody awaits must not crash the process.
  firstLoad.catch(() => undefined);

  /** One attempt; true when the store now holds the file's generation. */
  async function attempt(signal: AbortSignal): Promise<boolean> {
    let text: string;
    try {
      text = await source.read();
    } catch (err) {
      log.warn({ err }, 'profile refresh failed');
      return false;
    }
    const result = options.compile(text);
    if (!result.ok) {
      log.warn({ reason: result.problem }, 'profile refresh failed');
      return false;
    }
    if (signal.aborted) return false;
    publish(result.generation, result.warnings);
    return true;
  }

  function publish(generation: ProfileGeneration, warnings: readonly string[]): void {
    const previous = store.current();
    store.replace(generation, clock.nowMs());
    if (previous?.digest === generation.digest) {
      log.debug({ digest: generation.digest }, 'profiles: no changes detected');
      return;
    }
    // Only for a changed file: the same file would repeat the same warnings every interval.
    const previousStats = previous === undefined ? undefined : statsOf(previous);
    log.info({ stats: statsOf(generation), previousStats }, 'profiles: updated');
    if (generation.invalidPipelineProfiles.size + generation.invalidOrganizationProfiles.size > 0) {
      log.warn(
        {
          invalidPipelineProfiles: Object.fromEntries(generation.invalidPipelineProfiles),
          invalidOrganizationProfiles: Object.fromEntries(generation.invalidOrganizationProfiles),
        },
        'some profiles failed validation',
      );
    }
    if (warnings.length > 0) log.warn({ warnings }, 'profile file warnings');
  }

  function markLoaded(): void {
    if (loaded) return;
    loaded = true;
    try {
      options.onFirstLoad?.();
    } catch (err) {
      log.error({ err }, 'profile first-load hook failed');
    }
  }

  const loop = startPeriodicLoop({
    run: async (signal) => {
      if (await attempt(signal)) markLoaded();
    },
    delayMs: () => (loaded ? options.intervalMs : retryIntervalMs),
    // A compile function that throws is a bug, but the schedule must survive it.
    onError: (err) => log.error({ err }, 'profile refresh failed unexpectedly'),
    // Resolved once the next run is scheduled: whoever awaits the first load finds the schedule set.
    afterRun: () => {
      if (loaded) settleFirstLoad?.resolve();
    },
    firstRun: 'now',
    timers: options.timers,
  });
  return {
    stop() {
      loop.stop();
      // Settling twice changes nothing, so a second stop() is harmless.
      if (!loaded) settleFirstLoad?.reject(new NotReadyError('stopped before the first profile load'));
    },
    firstLoad,
  };
}

function statsOf(generation: ProfileGeneration): GenerationStats {
  return {
    digest: generation.digest,
    pipelineProfiles: generation.pipelineProfiles.size,
    invalidPipelineProfiles: generation.invalidPipelineProfiles.size,
    organizationProfiles: generation.organizationProfiles.size,
    invalidOrganizationProfiles: generation.invalidOrganizationProfiles.size,
  };
}

