import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const run = promisify(execFile);

/** What `npm pack --json` says about the tarball, as far as this test reads it. */
interface Packed {
  readonly filename: string;
  readonly files: readonly { readonly path: string }[];
}

let dir = '';
let packed: Packed;
/** PATH with the scratch prefix's bin directory first, as a user's shell has it after `npm install -g`. */
let path = '';

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'token-bridge-package-'));
  // prepack builds dist/ when needed; the suite setup has built it already, so here it writes nothing.
  const { stdout } = await run('npm', ['pack', '--json', '--pack-destination', dir], { cwd: repoRoot });
  // The shape is asserted below; a different one fails those assertions with a clear diff.
  [packed] = JSON.parse(stdout) as [Packed];
  const prefix = join(dir, 'prefix');
  // The dependencies come from the npm cache when it has them (it does after npm ci).
  await run('npm', ['install', '--global', '--prefix', prefix, '--prefer-offline', '--no-audit', '--no-fund', join(dir, packed.filename)], {
    cwd: dir,
  });
  path = [join(prefix, 'bin'), process.env.PATH ?? ''].join(delimiter);
}, 300_000);
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const tokenBridge = (args: string[]) => run('token-bridge', args, { cwd: repoRoot, env: { ...process.env, PATH: path } });

describe('the npm package', () => {
  it('holds the built command and the example profiles, without sources, tests, source maps or build state', () => {
    const files = packed.files.map((file) => file.path);

    expect(files).toEqual(expect.arrayContaining(['package.json', 'dist/cli.js', 'dist/main.js', 'profiles.example.yaml']));
    expect(files.filter((file) => !/^(dist\/.+\.js|package\.json|README\.md|LICENSE|profiles\.example\.yaml)$/.test(file))).toEqual([]);
  });

  describe('installed with npm install -g into a scratch prefix', () => {
    it('puts token-bridge on PATH: --help exits 0 with the usage', async () => {
      const { stdout, stderr } = await tokenBridge(['--help']);

      expect(stdout).toMatch(/^Usage: token-bridge <command>/);
      expect(stderr).toBe('');
    });

    it('checks profiles.example.yaml from the installed copy', async () => {
      const { stdout } = await tokenBridge(['profiles', 'check', 'profiles.example.yaml']);

      expect(stdout).toContain('every profile is valid');
    });

    it('runs from the installed copy, not from this checkout', async () => {
      const { stdout } = await run('sh', ['-c', 'command -v token-bridge'], { env: { ...process.env, PATH: path } });

      expect(stdout.trim()).toBe(join(dir, 'prefix', 'bin', 'token-bridge'));
    });
  });
});
