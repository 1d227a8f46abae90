import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { demoAudience, startDemoWorld, type DemoWorld } from '../../src/dev/demo-world.js';
import { runCommand, type RunningCommand } from './child-process.js';
import { freePort } from './valkey-server.js';

const recorder = pathToFileURL(fileURLToPath(new URL('./record-loaded-modules.mjs', import.meta.url))).href;

let world: DemoWorld | undefined;
let command: RunningCommand | undefined;
let scratch: string | undefined;

/** Stops what {@link serveOneRequest} started; for `afterEach`. */
export async function stopServedProcess(): Promise<void> {
  command?.child.kill('SIGKILL');
  await world?.close();
  if (scratch) await rm(scratch, { recursive: true, force: true });
  world = command = scratch = undefined;
}

/**
 * Serves one /token request in a real `token-bridge serve` wired to the stand-ins, stops
 * it, and tells what it answered, its exit code, every CommonJS module it loaded, what it
 * printed, and the secrets that must not appear in that output.
 */
export async function serveOneRequest(env: Record<string, string>) {
  world = await startDemoWorld();
  scratch = await mkdtemp(join(tmpdir(), 'token-bridge-modules-'));
  const modulesFile = join(scratch, 'modules.json');
  command = runCommand(['serve'], {
    ...world.env,
    SERVER_PORT: '0',
    METRICS_PORT: String(await freePort()),
    ...env,
    NODE_OPTIONS: `--import=${recorder}`,
    TOKEN_BRIDGE_TEST_LOADED_MODULES_FILE: modulesFile,
  });
  const [, listening] = await command.waitFor(/"url":"(http:\/\/[^"]+)"/);
  await command.waitFor(/server ready/);
  const oidc = await world.issuer.signToken({}, { audience: demoAudience });
  const response = await fetch(`${(listening ?? '').replace('0.0.0.0', '127.0.0.1')}/token`, {
    method: 'POST',
    headers: { authorization: `Bearer ${oidc}` },
  });
  const { token } = (await response.json()) as { token: string };
  command.child.kill('SIGTERM');
  const code = await command.exited;
  const modules = JSON.parse(await readFile(modulesFile, 'utf8')) as string[];
  return { code, status: response.status, modules, stdout: command.stdout(), secrets: [oidc, token] };
}

