// The server under test as its own process: spawned from a build's dist/cli.js with the
// NODE_OPTIONS its container image sets (V8 heap sizes), timed from
// spawn to its first ready answer, and read from /proc for CPU time and RSS.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';

/** Starts `serve` from `dir` (a checkout with a build) with `env`; resolves once /healthcheck answers 200. */
export async function startServerProcess({ dir, env, port }) {
  const startedAt = performance.now();
  // BENCH_SERVER_NODE_ARGS, e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof`, profiles the server.
  const nodeArgs = process.env.BENCH_SERVER_NODE_ARGS?.split(' ').filter(Boolean) ?? [];
  const nodeOptions = imageNodeOptions(dir);
  const child = spawn(process.execPath, [...nodeArgs, join(dir, 'dist/cli.js'), 'serve'], {
    cwd: dir,
    // Metrics beside /healthcheck (METRICS_PORT=0), as every build compared has them: no second port to find.
    env: { PATH: process.env.PATH, METRICS_PORT: '0', ...env, ...(nodeOptions && { NODE_OPTIONS: nodeOptions }), SERVER_PORT: String(port) },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  child.stdout.resume(); // audit and log lines are drained, not kept
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const url = `http://127.0.0.1:${port}`;
  const deadline = startedAt + 15_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited ${child.exitCode} before it was ready`);
    if (performance.now() > deadline) throw new Error('server not ready within 15 s');
    const status = await fetch(`${url}/healthcheck`).then((r) => r.status, () => 0);
    if (status === 200) break;
    await delay(2);
  }
  const readyMs = performance.now() - startedAt;
  return {
    url,
    readyMs,
    nodeOptions,
    pid: child.pid,
    /** Server CPU time (user + system) so far, in ms. */
    cpuMs: () => {
      const fields = readFileSync(`/proc/${child.pid}/stat`, 'utf8').split(') ')[1].split(' ');
      return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // utime, stime in 1/100 s
    },
    rssMiB: () => {
      const line = readFileSync(`/proc/${child.pid}/status`, 'utf8').match(/VmRSS:\s+(\d+) kB/);
      return line ? Number(line[1]) / 1024 : NaN;
    },
    stop: async () => {
      child.kill('SIGTERM');
      return exited;
    },
  };
}

/**
 * The `NODE_OPTIONS` the container image of the checkout in `dir` sets (its Dockerfile's
 * `ENV NODE_OPTIONS="…"`: V8's heap sizes), so the bench measures the server as the image
 * runs it; `undefined` when the image sets none.
 */
function imageNodeOptions(dir) {
  const dockerfile = readFileSync(join(dir, 'Dockerfile'), 'utf8');
  return dockerfile.match(/^ENV NODE_OPTIONS="([^"]*)"$/m)?.[1];
}
