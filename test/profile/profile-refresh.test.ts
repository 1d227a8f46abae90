import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { createManualClock } from '../../src/lib/clock.js';
import { builtInGeneration } from '../../src/profile/built-in-profiles.js';
import type { ProfileGeneration } from '../../src/profile/profile.js';
import { startProfileRefresh, type CompileResult, type ProfileRefresh } from '../../src/profile/profile-refresh.js';
import type { ProfileSource } from '../../src/profile/profile-source.js';
import { createProfileStore, type ProfileStore } from '../../src/profile/profile-store.js';
import { captureLines, type CapturedLines } from '../support/capture-stream.js';
import { createManualTimers, settle } from '../support/manual-timers.js';

const startMs = Date.UTC(2026, 0, 1);
const intervalMs = 300_000;
const location = 'github:acme/profiles/profiles.yaml';

/** Lets every promise chain the last step started run to its end (no real I/O is involved). */

/** A generation as a compiled file would give it. */
function generation(digest: string, invalid: [string, string][] = []): ProfileGeneration {
  return { ...builtInGeneration(), digest, invalidOrganizationProfiles: new Map(invalid) };
}

/** The compile function the refresh is given: each known text compiles to its entry. */
const compiled = new Map<string, CompileResult>([
  ['v1', { ok: true, generation: generation('digest-1'), warnings: [] }],
  ['v1 again', { ok: true, generation: generation('digest-1'), warnings: [] }],
  ['v2', { ok: true, generation: generation('digest-2'), warnings: [] }],
  [
    'v3 with problems',
    {
      ok: true,
      generation: generation('digest-3', [['deploy', 'unknown permission "contents:own"']]),
      warnings: ['organization profile "deploy" has no match rules'],
    },
  ],
  ['not yaml', { ok: false, problem: 'profile file is not valid YAML' }],
]);
const compile = (text: string): CompileResult => {
  const result = compiled.get(text);
  if (result === undefined) throw new TypeError(`test compile has no entry for ${text}`);
  return result;
};

/** A source answering scripted reads in order: a text, or an error to throw. */
function scriptedSource(...answers: (string | Error)[]) {
  const source: ProfileSource & { reads: number } = {
    location,
    reads: 0,
    read() {
      source.reads += 1;
      const answer = answers.shift();
      if (answer === undefined) return new Promise<string>(() => undefined);
      return answer instanceof Error ? Promise.reject(answer) : Promise.resolve(answer);
    },
  };
  return source;
}

interface Started {
  readonly refresh: ProfileRefresh;
  readonly store: ProfileStore;
  readonly scheduler: ReturnType<typeof createManualTimers>;
  readonly logs: CapturedLines;
  readonly firstLoads: () => number;
  readonly messages: () => unknown[];
}

async function start(source: ProfileSource, overrides: { onFirstLoad?: () => void } = {}): Promise<Started> {
  const clock = createManualClock(startMs);
  const store = createProfileStore(builtInGeneration());
  const scheduler = createManualTimers((ms) => clock.advanceMs(ms));
  const logs = captureLines();
  let firstLoads = 0;
  const refresh = startProfileRefresh({
    source,
    compile,
    store,
    clock,
    intervalMs,
    logger: pino({ level: 'debug' }, logs.stream),
    onFirstLoad:
      overrides.onFirstLoad ??
      (() => {
        firstLoads += 1;
      }),
    timers: scheduler.timers,
  });
  await settle();
  return { refresh, store, scheduler, logs, firstLoads: () => firstLoads, messages: () => logs.lines.map((l) => l.msg) };
}

describe('profile refresh', () => {
  describe('when the first load succeeds', () => {
    it('loads at once, replaces the generation and schedules the next run after the interval', async () => {
      const source = scriptedSource('v1');
      const { store, scheduler } = await start(source);
      expect(source.reads).toBe(1);
      expect(store.current()?.digest).toBe('digest-1');
      expect(store.loadedAtMs).toBe(startMs);
      expect(scheduler.delays()).toEqual([intervalMs]);
    });

    it('calls onFirstLoad once and resolves firstLoad', async () => {
      const { refresh, firstLoads } = await start(scriptedSource('v1'));
      await expect(refresh.firstLoad).resolves.toBeUndefined();
      expect(firstLoads()).toBe(1);
    });

    it('logs the new digest and counts beside the previous ones', async () => {
      const { logs } = await start(scriptedSource('v1'));
      expect(logs.lines).toEqual([
        expect.objectContaining({
          level: 30,
          msg: 'profiles: updated',
          location,
          stats: {
            digest: 'digest-1',
            pipelineProfiles: 1,
            invalidPipelineProfiles: 0,
            organizationProfiles: 0,
            invalidOrganizationProfiles: 0,
          },
          previousStats: expect.objectContaining({ digest: 'default-profile:v1' }),
        }),
      ]);
    });
  });

  describe('when the first attempts fail', () => {
    it('retries every 5 seconds, keeping the built-in generation, until one succeeds', async () => {
      const source = scriptedSource(new Error('connect ECONNREFUSED'), 'not yaml', 'v1');
      const { store, scheduler, firstLoads } = await start(source);
      expect(scheduler.delays()).toEqual([5_000]);
      expect(store.current()?.digest).toBe('default-profile:v1');
      await scheduler.fire();
      expect(scheduler.delays()).toEqual([5_000]);
      expect(firstLoads()).toBe(0);
      await scheduler.fire();
      expect(source.reads).toBe(3);
      expect(store.current()?.digest).toBe('digest-1');
      expect(store.loadedAtMs).toBe(startMs + 10_000);
      expect(firstLoads()).toBe(1);
      expect(scheduler.delays()).toEqual([intervalMs]);
    });

    it('logs each failure as a warning with the location and the error or reason', async () => {
      const source = scriptedSource(new Error('connect ECONNREFUSED'), 'not yaml');
      const { scheduler, logs } = await start(source);
      await scheduler.fire();
      expect(logs.lines).toEqual([
        expect.objectContaining({
          level: 40,
          msg: 'profile refresh failed',
          location,
          err: expect.objectContaining({ message: 'connect ECONNREFUSED' }),
        }),
        expect.objectContaining({
          level: 40,
          msg: 'profile refresh failed',
          location,
          reason: 'profile file is not valid YAML',
        }),
      ]);
    });

    it('leaves firstLoad pending', async () => {
      const { refresh } = await start(scriptedSource(new Error('boom')));
      const outcome = await Promise.race([refresh.firstLoad.then(() => 'loaded'), settle().then(() => 'pending')]);
      expect(outcome).toBe('pending');
      refresh.stop();
    });
  });

  describe('after the first load', () => {
    it('keeps the last good generation when a run fails, and runs again after the interval', async () => {
      const { store, scheduler, messages } = await start(scriptedSource('v1', new Error('HTTP 502'), 'not yaml'));
      await scheduler.fire();
      await scheduler.fire();
      expect(store.current()?.digest).toBe('digest-1');
      expect(store.loadedAtMs).toBe(startMs);
      expect(scheduler.delays()).toEqual([intervalMs]);
      expect(messages()).toEqual(['profiles: updated', 'profile refresh failed', 'profile refresh failed']);
    });

    it('replaces the generation when the file changed, logging the previous stats', async () => {
      const { store, scheduler, logs, firstLoads } = await start(scriptedSource('v1', 'v2'));
      await scheduler.fire();
      expect(store.current()?.digest).toBe('digest-2');
      expect(store.loadedAtMs).toBe(startMs + intervalMs);
      expect(logs.lines.at(-1)).toMatchObject({
        msg: 'profiles: updated',
        stats: { digest: 'digest-2' },
        previousStats: { digest: 'digest-1' },
      });
      expect(firstLoads()).toBe(1);
    });

    it('logs "no changes detected" at debug when the digest is the same', async () => {
      const { scheduler, logs } = await start(scriptedSource('v1', 'v1 again'));
      await scheduler.fire();
      expect(logs.lines.at(-1)).toEqual(
        expect.objectContaining({ level: 20, msg: 'profiles: no changes detected', digest: 'digest-1', location }),
      );
      expect(logs.lines.filter((line) => line.msg === 'profiles: updated')).toHaveLength(1);
    });
  });

  describe('when the file has invalid profiles or compile warnings', () => {
    it('logs each invalid profile with its reason, and the warnings', async () => {
      const { store, logs } = await start(scriptedSource('v3 with problems'));
      expect(store.current()?.digest).toBe('digest-3');
      expect(logs.lines).toEqual([
        expect.objectContaining({ msg: 'profiles: updated' }),
        expect.objectContaining({
          level: 40,
          msg: 'some profiles failed validation',
          location,
          invalidPipelineProfiles: {},
          invalidOrganizationProfiles: { deploy: 'unknown permission "contents:own"' },
        }),
        expect.objectContaining({
          level: 40,
          msg: 'profile file warnings',
          location,
          warnings: ['organization profile "deploy" has no match rules'],
        }),
      ]);
    });
  });

  describe('while a run is in flight', () => {
    it('schedules nothing, so runs never overlap', async () => {
      const source = scriptedSource();
      const { scheduler } = await start(source);
      expect(source.reads).toBe(1);
      expect(scheduler.delays()).toEqual([]);
    });
  });

  describe('when something the refresh calls throws', () => {
    it('logs an error from compile and keeps the schedule', async () => {
      const { scheduler, logs } = await start(scriptedSource('unknown text'));
      expect(logs.lines).toEqual([
        expect.objectContaining({ level: 50, msg: 'profile refresh failed unexpectedly', location }),
      ]);
      expect(scheduler.delays()).toEqual([5_000]);
    });

    it('logs an error from onFirstLoad and still counts the load', async () => {
      const { refresh, scheduler, logs } = await start(scriptedSource('v1'), {
        onFirstLoad: () => {
          throw new TypeError('readiness broke');
        },
      });
      await expect(refresh.firstLoad).resolves.toBeUndefined();
      expect(logs.lines.at(-1)).toMatchObject({ level: 50, msg: 'profile first-load hook failed' });
      expect(scheduler.delays()).toEqual([intervalMs]);
    });
  });

  describe('when stopped', () => {
    it('cancels the scheduled run and schedules no more', async () => {
      const source = scriptedSource('v1', 'v2');
      const { refresh, scheduler, store } = await start(source);
      refresh.stop();
      expect(scheduler.delays()).toEqual([]);
      expect(source.reads).toBe(1);
      expect(store.current()?.digest).toBe('digest-1');
    });

    it('rejects firstLoad with not_ready when no load succeeded yet', async () => {
      const { refresh } = await start(scriptedSource(new Error('boom')));
      refresh.stop();
      await expect(refresh.firstLoad).rejects.toMatchObject({ code: 'not_ready' });
    });

    it('discards a run that finishes after the stop', async () => {
      let answer: (text: string) => void = () => undefined;
      const source: ProfileSource = {
        location,
        read: () => new Promise((resolve) => (answer = resolve)),
      };
      const { refresh, scheduler, store, firstLoads } = await start(source);
      refresh.stop();
      answer('v1');
      await settle();
      expect(store.current()?.digest).toBe('default-profile:v1');
      expect(firstLoads()).toBe(0);
      expect(scheduler.delays()).toEqual([]);
    });
  });
});
