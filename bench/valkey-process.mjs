// A throwaway valkey-server (or redis-server) for the soak: no persistence, loopback only,
// on a port of the caller's choosing, restartable in place (empty, as after a failover).
import { spawn, spawnSync } from 'node:child_process';
import { setTimeout as delay } from 'node:timers/promises';

function findBinary() {
  for (const name of ['valkey-server', 'redis-server']) {
    if (spawnSync('sh', ['-c', `command -v ${name}`]).status === 0) return name;
  }
  throw new Error('valkey-server/redis-server not found: install the Debian package redis-server');
}

async function launch(binary, port) {
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--daemonize', 'no'];
  const child = spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));
  const deadline = performance.now() + 10_000;
  while (!output.includes('Ready to accept connections')) {
    if (child.exitCode !== null) throw new Error(`${binary} exited ${child.exitCode}: ${output}`);
    if (performance.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`${binary} not ready within 10 s: ${output}`);
    }
    await delay(20);
  }
  // Only readiness is read; the rest of its output is drained, not kept.
  child.stdout.removeAllListeners('data').resume();
  child.stderr.removeAllListeners('data').resume();
  return child;
}

/** Starts the server on `port`; `restart()` stops it (SIGTERM) and starts it again there. */
export async function startValkeyProcess(port) {
  const binary = findBinary();
  let child = await launch(binary, port);
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  };
  return {
    binary,
    address: `127.0.0.1:${port}`,
    stop,
    restart: async () => {
      await stop();
      child = await launch(binary, port);
    },
  };
}
