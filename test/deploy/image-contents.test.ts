import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { demoAudience, startDemoWorld, type DemoWorld } from '../../src/dev/demo-world.js';
import { runCommand, type RunningCommand } from '../support/child-process.js';
import { dockerfile, instructionsOf } from './deploy-files.js';
import { layOutImage } from './image-layout.js';
import { freePort } from '../support/valkey-server.js';

const images = { production: dockerfile().final.name ?? '', demo: 'demo' };
const dirs = { production: '', demo: '' };
let command: RunningCommand | undefined;
let world: DemoWorld | undefined;

beforeAll(async () => {
  for (const image of ['production', 'demo'] as const) {
    dirs[image] = await mkdtemp(join(tmpdir(), `image-${image}-`));
    await layOutImage(images[image], dirs[image]);
  }
});
afterEach(async () => {
  command?.child.kill('SIGKILL');
  await world?.close();
  command = undefined;
  world = undefined;
});
afterAll(async () => {
  await Promise.all(Object.values(dirs).map((dir) => rm(dir, { recursive: true, force: true })));
});

/** Runs the image's ENTRYPOINT with `args`, in the image laid out in `dir`. */
function run(dir: string, args: string[], env: Record<string, string> = {}): RunningCommand {
  const [, script = ''] = instructionsOf(dockerfile().final, 'ENTRYPOINT')[0]?.exec ?? [];
  command = runCommand(args, env, join(dir, script));
  return command;
}

const filesBelow = async (dir: string) => (await readdir(dir, { recursive: true, withFileTypes: true }))
  .filter((entry) => entry.isFile())
  .map((entry) => join(entry.parentPath, entry.name).slice(dir.length + 1))
  .sort();

describe('the production image, laid out as the Dockerfile fills it', () => {
  it('holds the service and its CLI, and no stand-in or demo code', async () => {
    const files = await filesBelow(join(dirs.production, 'dist'));
    expect(files).toEqual(expect.arrayContaining(['cli.js', 'main.js', 'app.js', 'commands/run-dev-command.js']));
    expect(files.filter((file) => file.startsWith('dev/'))).toEqual([]);
  });

  it.each([[['demo']], [['demo', '--check']], [['stand-in', 'github']], [['dev-app-key', '--out', '/tmp/never']]])(
    'answers %j: not included in this build (exit 2), starting nothing',
    async (args) => {
      const running = run(dirs.production, args);

      expect(await running.exited).toBe(2);
      expect(running.stdout()).toBe('');
      expect(running.stderr()).toMatch(new RegExp(`^token-bridge: ${args[0] ?? ''} is not included in this build`));
    },
  );

  it('serves: its default command vends a token against stand-ins run beside it', async () => {
    world = await startDemoWorld();
    const cmd = instructionsOf(dockerfile().final, 'CMD')[0]?.exec ?? [];
    const running = run(dirs.production, [...cmd], { ...world.env, SERVER_PORT: '0', METRICS_PORT: String(await freePort()) });
    const [, url = ''] = await running.waitFor(/"url":"(http:\/\/[^"]+)"/);
    // Ready once it knows the default installation's account, a moment after it listens.
    await running.waitFor(/server ready/);
    const oidc = await world.issuer.signToken({}, { audience: demoAudience });
    const response = await fetch(`${url.replace('0.0.0.0', '127.0.0.1')}/token`, {
      method: 'POST',
      headers: { authorization: `Bearer ${oidc}` },
    });

    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ token: expect.stringMatching(/^ghs_/) });
  });

  it('checks the profile file it carries', async () => {
    const running = run(dirs.production, ['profiles', 'check', join(dirs.production, 'profiles.example.yaml')]);

    expect(await running.exited).toBe(0);
  });
});

describe('the demo image', () => {
  it('holds what the production image holds, and the stand-ins and the demo in dist/dev', async () => {
    const production = await filesBelow(dirs.production);
    const demo = await filesBelow(dirs.demo);

    expect(demo.filter((file) => !file.startsWith('dist/dev/'))).toEqual(production);
    expect(demo).toEqual(expect.arrayContaining(['dist/dev/dev-commands.js', 'dist/dev/oidc-issuer.js', 'dist/dev/fake-github.js']));
  });
});
