import { spawn, type ChildProcess } from 'node:child_process';
import { connect, createServer } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';
import { hasCommand } from './system-tool.js';

/** A real `valkey-server` (or `redis-server`) the suite owns, on a free port of 127.0.0.1. */
export interface ValkeyServer {
  /** `127.0.0.1:<port>`, as `VALKEY_ADDRESS` takes it. */
  readonly address: string;
  readonly port: number;
  /** Stops it cleanly (SIGTERM). */
  stop(): Promise<void>;
  /** Stops it and starts it again on the same port, empty; resolves once it answers. */
  restart(): Promise<void>;
  /** Kills it abruptly (SIGKILL), as a crash or a network cut would. */
  kill(): Promise<void>;
  /** Freezes it (SIGSTOP): connections stay open and nothing answers, as a hung server. */
  freeze(): void;
  /** Undoes {@link freeze}. */
  thaw(): void;
}

export interface ValkeyServerOptions {
  /** Starts the server with `--requirepass`. */
  readonly requirePassword?: string;
  /** A port of the test's choosing (to bring a server up where a client already waits); a free one otherwise. */
  readonly port?: number;
}

const missingServerMessage =
  'valkey-server/redis-server not found: install the Debian package redis-server ' +
  '(apt-get install redis-server); the Valkey tests need a real server';

/**
 * Starts a throwaway server: no persistence, no daemon, bound to 127.0.0.1. Throws when
 * neither binary is on PATH: the Valkey tests then fail, loudly, rather than skip.
 */
export async function startValkeyServer(options: ValkeyServerOptions = {}): Promise<ValkeyServer> {
  const binary = findServerBinary();
  const argsFor = (port: number) => {
    const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--daemonize', 'no'];
    if (options.requirePassword !== undefined) args.push('--requirepass', options.requirePassword);
    return args;
  };
  const first = await launchOnPort(binary, argsFor, options.port);
  const { port } = first;
  const args = argsFor(port);
  let child = first.child;
  const end = async (signal: NodeJS.Signals) => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGCONT');
    child.kill(signal);
    await exited;
  };
  return {
    address: `127.0.0.1:${port}`,
    port,
    stop: () => end('SIGTERM'),
    kill: () => end('SIGKILL'),
    async restart() {
      await end('SIGTERM');
      child = await launch(binary, args, port);
    },
    freeze: () => void child.kill('SIGSTOP'),
    thaw: () => void child.kill('SIGCONT'),
  };
}

/** Launches on the given port, or on a free one: retried, as a parallel test file may take it first. */
async function launchOnPort(binary: string, argsFor: (port: number) => string[], fixedPort: number | undefined) {
  for (let tries = 1; ; tries += 1) {
    const port = fixedPort ?? (await freePort());
    try {
      return { port, child: await launch(binary, argsFor(port), port) };
    } catch (error) {
      if (fixedPort !== undefined || tries >= 3) throw error;
    }
  }
}

function findServerBinary(): string {
  for (const name of ['valkey-server', 'redis-server']) {
    if (hasCommand(name)) return name;
  }
  throw new Error(missingServerMessage);
}

async function launch(binary: string, args: string[], port: number): Promise<ChildProcess> {
  const child = spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const collect = (chunk: Buffer) => (output += chunk.toString());
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  const deadline = performance.now() + 10_000;
  while (performance.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${binary} exited with ${child.exitCode}: ${output}`);
    // Our own process must say it is ready: a PING alone could be answered by another
    // test file's server that took the port first.
    if (output.includes('Ready to accept connections') && (await answersPing(port))) return child;
    await delay(20);
  }
  child.kill('SIGKILL');
  throw new Error(`${binary} did not answer on port ${port} within 10 s: ${output}`);
}

/** Whether something on the port answers PING as Valkey does (`-NOAUTH` counts: it is up). */
function answersPing(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    const done = (answer: boolean) => {
      socket.destroy();
      resolve(answer);
    };
    socket.setTimeout(500, () => done(false));
    socket.once('error', () => done(false));
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.once('data', (data: Buffer) => done(/^(\+PONG|-NOAUTH)/.test(data.toString())));
  });
}

/** A port free now (taken, then released); the server binds it right after. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port assigned');
  return address.port;
}
