/*
 * The units every observation is reported in, for Prometheus (`metrics/`) and OpenTelemetry
 * (`telemetry/`) alike: one bucket list, one conversion to seconds, one generation age.
 */

/**
 * Histogram bucket boundaries in seconds, for request and upstream durations: from a cached
 * answer or a Valkey command (well under 5 ms) through a GitHub mint (100–500 ms) to the
 * 10 s upstream deadline.
 */
export const durationBucketsSeconds: readonly number[] = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** Milliseconds as seconds; a clock that stepped back (or a non-number) counts as zero, never a negative duration. */
export function secondsOf(durationMs: number): number {
  return Number.isFinite(durationMs) && durationMs > 0 ? durationMs / 1000 : 0;
}

/** Seconds since a profile generation (or a keyset) was loaded at `loadedAtMs`; never negative. */
export function generationAgeSeconds(loadedAtMs: number, nowMs: number): number {
  return secondsOf(nowMs - loadedAtMs);
}
