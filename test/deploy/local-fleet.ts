import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { runCommand, type RunningCommand } from '../support/child-process.js';
import { freePort, startValkeyServer } from '../support/valkey-server.js';
import type { DockerStage } from '../support/dockerfile.js';
import { composeFile, dockerfile, environmentOf, flagValue, instructionsOf, type ComposeService } from './deploy-files.js';
import { layOutImage, workdirOf } from './image-layout.js';

/** The compose fleet run as plain processes of the built CLI on this machine. */
export interface LocalFleet {
  /** `http://127.0.0.1:<port>` where a service's container port is reachable here. */
  url(name: string): string;
  /** `http://127.0.0.1:<port>` of a bridge's metrics listener (`METRICS_PORT`). */
  metricsUrl(name: string): string;
  /** The compose environment of a service with names, ports and paths mapped to this machine. */
  env(name: string): Record<string, string>;
  /** Runs the service's compose healthcheck here; resolves with its exit code. */
  healthcheck(name: string): Promise<number | null>;
  close(): Promise<void>;
}

const standIns = ['oidc-issuer', 'buildkite', 'github'];
const bridges = ['bridge-1', 'bridge-2'];

/**
 * Starts what `docker compose up` starts, minus Docker: the app-key job, the stand-ins and
 * both bridges run the image's ENTRYPOINT (`node dist/cli.js`) with the compose file's own
 * commands and environment, a real redis-server stands in for the Valkey image, and each
 * `service:port` becomes `127.0.0.1:<free port>`, each volume a temporary directory, and the
 * image's WORKDIR a directory laid out as the Dockerfile stage compose builds fills it (see
 * {@link layOutImage}). Only those substitutions separate this from the containers.
 */
export async function startLocalFleet(): Promise<LocalFleet> {
  const services = composeFile().services;
  const image = await layOutComposeImage(services);
  const volumeDir = await mkdtemp(join(tmpdir(), 'compose-volume-'));
  const valkey = await startValkeyServer();
  const ports: Ports = new Map([['valkey', { container: '6379', host: valkey.port }]]);
  for (const name of standIns) ports.set(name, { container: flagValue(command(services, name), '--port') ?? '', host: await freePort() });
  for (const name of bridges) ports.set(name, { container: '8080', host: await freePort() });
  const metricsPorts = new Map<string, number>();
  for (const name of bridges) metricsPorts.set(name, await freePort());
  const map = hostMapping({ ports, volumeDir, volumeTarget: volumeTarget(services), image });
  const env = (name: string) =>
    Object.fromEntries(Object.entries(environmentOf(service(services, name))).map(([key, value]) => [key, map(value)]));
  const running: RunningCommand[] = [];
  const close = async () => {
    for (const child of running) child.child.kill('SIGTERM');
    await Promise.all(running.map((child) => child.exited));
    await valkey.stop();
    await rm(volumeDir, { recursive: true, force: true });
    await rm(image.dir, { recursive: true, force: true });
  };
  try {
    await startProcesses({ services, ports, metricsPorts, map, env, running, image });
  } catch (error) {
    await close();
    throw error;
  }
  const healthcheck = (name: string) => {
    const [, node, ...args] = service(services, name).healthcheck?.test ?? [];
    if (node !== 'node') throw new Error(`${name}: the healthcheck does not run node`);
    return exitCodeOf(args.map((arg) => map(arg, name)), env(name));
  };
  return {
    url: (name) => `http://127.0.0.1:${ports.get(name)?.host ?? 0}`,
    metricsUrl: (name) => `http://127.0.0.1:${metricsPorts.get(name) ?? 0}`,
    env,
    healthcheck,
    close,
  };
}

type Ports = Map<string, { readonly container: string; readonly host: number }>;
type Mapping = (value: string, self?: string) => string;

/** The image every token-bridge service runs, laid out here: its WORKDIR and its resolved stage. */
interface LocalImage {
  readonly dir: string;
  readonly stage: DockerStage;
  /** The ENTRYPOINT's script (`dist/cli.js`) in `dir`. */
  readonly cli: string;
}

/** Lays out the one image the compose file builds for its token-bridge services. */
async function layOutComposeImage(services: Record<string, ComposeService>): Promise<LocalImage> {
  const build = service(services, 'bridge-1').build;
  const target = typeof build === 'object' ? build.target : undefined;
  const stage = target === undefined ? dockerfile().final : dockerfile().image(target);
  const dir = await mkdtemp(join(tmpdir(), 'compose-image-'));
  await layOutImage(stage.name ?? '', dir);
  const [node, script = ''] = instructionsOf(stage, 'ENTRYPOINT')[0]?.exec ?? [];
  if (node !== 'node') throw new Error('the ENTRYPOINT does not run node');
  return { dir, stage, cli: join(dir, script) };
}

/**
 * Maps a compose value to this machine: `service:port` after `//` or at the start, the
 * volume's mount point, the image's WORKDIR, a listen address of 0.0.0.0, and (for `self`,
 * whose healthcheck runs inside its own container) `127.0.0.1:<container port>`.
 */
function hostMapping(input: { ports: Ports; volumeDir: string; volumeTarget: string; image: LocalImage }): Mapping {
  const workdir = workdirOf(input.image.stage);
  return (value, self) => {
    let mapped = value.replaceAll(input.volumeTarget, input.volumeDir).replaceAll(`${workdir}/`, `${input.image.dir}/`);
    for (const [name, port] of input.ports) {
      mapped = mapped.replace(new RegExp(`(^|//)${name}:${port.container}(?=/|$)`, 'g'), `$1127.0.0.1:${port.host}`);
      if (name === self) mapped = mapped.replaceAll(`127.0.0.1:${port.container}/`, `127.0.0.1:${port.host}/`);
    }
    return mapped === '0.0.0.0' ? '127.0.0.1' : mapped;
  };
}

/** The app-key job to completion, then each stand-in until it listens, then both bridges. */
async function startProcesses(input: {
  services: Record<string, ComposeService>;
  ports: Ports;
  /** Each bridge's metrics port here, in place of the container's 9090. */
  metricsPorts: ReadonlyMap<string, number>;
  map: Mapping;
  env: (name: string) => Record<string, string>;
  running: RunningCommand[];
  image: LocalImage;
}): Promise<void> {
  const { services, ports, metricsPorts, map, env, running, image } = input;
  const keyJob = runCommand(command(services, 'app-key').map((arg) => map(arg)), {}, image.cli);
  if ((await keyJob.exited) !== 0) throw new Error(`app-key failed: ${keyJob.stderr()}`);
  for (const name of standIns) {
    const args = command(services, name).map((arg) => map(arg));
    args[args.indexOf('--port') + 1] = String(ports.get(name)?.host);
    const standIn = runCommand(args, env(name), image.cli);
    running.push(standIn);
    await standIn.waitFor(new RegExp(`listening on http://127\\.0\\.0\\.1:${ports.get(name)?.host}\\b`));
  }
  // The image's default command (CMD), with the container port moved to a free one here.
  const serve = instructionsOf(image.stage, 'CMD')[0]?.exec ?? [];
  for (const name of bridges) {
    const hostPorts = { SERVER_PORT: String(ports.get(name)?.host), METRICS_PORT: String(metricsPorts.get(name)) };
    running.push(runCommand([...serve], { ...env(name), ...hostPorts }, image.cli));
  }
}

/** Polls a healthcheck as Compose does until it passes; throws after `timeoutMs`. */
export async function untilHealthy(fleet: LocalFleet, name: string, timeoutMs = 20_000): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while ((await fleet.healthcheck(name)) !== 0) {
    if (performance.now() > deadline) throw new Error(`${name} did not become healthy`);
    await delay(200);
  }
}

function exitCodeOf(args: string[], env: Record<string, string>): Promise<number | null> {
  const child = spawn(process.execPath, args, { env: { PATH: process.env.PATH ?? '', ...env }, stdio: 'ignore' });
  return new Promise((resolve) => child.on('exit', (code) => resolve(code)));
}

function service(services: Record<string, ComposeService>, name: string): ComposeService {
  const found = services[name];
  if (found === undefined) throw new Error(`docker-compose.yml has no service ${name}`);
  return found;
}

function command(services: Record<string, ComposeService>, name: string): string[] {
  return [...(service(services, name).command ?? [])];
}

function volumeTarget(services: Record<string, ComposeService>): string {
  const volume = service(services, 'app-key').volumes?.[0];
  if (typeof volume !== 'object' || volume.target === undefined) throw new Error('app-key mounts no volume');
  return volume.target;
}
