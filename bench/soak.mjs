// Soak run (not a test): `npm run build && node bench/soak.mjs`. For a bounded few minutes,
// runs the built server as its own process with CACHE_TYPE=valkey against a valkey-server
// (or redis-server) it starts on a free port, with the Buildkite and GitHub stand-ins, GitHub
// behind a proxy that fails in bursts (502, reset connections, 429 with Retry-After), and
// restarts Valkey mid-run. Simulated pipelines send steady /token and /git-credentials
// traffic. Prints requests by status, failures, the failures a cache could have served
// (expected: zero) and the server's RSS at start and end. Loopback only; stops by itself.
//   SOAK_DURATION_SECS=180  SOAK_PIPELINES=40  SOAK_RATE=40 (requests/s)  SOAK_CONNECTIONS=8
//   SOAK_BURST_EVERY_SECS=20  SOAK_BURST_SECS=4  SOAK_VALKEY_RESTARTS=2  SOAK_JOB_SECS=30
//   SOAK_TOKEN_LIFETIME_SECS=120 (GitHub tokens)  SOAK_MIN_LIFETIME_SECS=60 (the cache's minimum)
//   SOAK_ENV_<NAME>=value  passes NAME=value to the server
//   SOAK_SERVER_DIR=../other-checkout  soaks another build
import { setTimeout as delay } from 'node:timers/promises';
import { startDemoWorld } from '../dist/dev/demo-world.js';
import { startFlakyUpstream } from './flaky-upstream.mjs';
import { startServerProcess } from './server-process.mjs';
import { createPipelines, createTally, driveTraffic } from './soak-traffic.mjs';
import { startValkeyProcess } from './valkey-process.mjs';
import { freePort } from './free-port.mjs';

const setting = (name, fallback) => Number(process.env[name] ?? fallback);
const durationSecs = setting('SOAK_DURATION_SECS', 180);
const burstEverySecs = setting('SOAK_BURST_EVERY_SECS', 20);
const burstSecs = setting('SOAK_BURST_SECS', 4);
const valkeyRestarts = setting('SOAK_VALKEY_RESTARTS', 2);
const minLifetimeSecs = setting('SOAK_MIN_LIFETIME_SECS', 60);
const tokenLifetimeSecs = setting('SOAK_TOKEN_LIFETIME_SECS', 120);
const serverEnv = Object.fromEntries(
  Object.entries(process.env)
    .filter(([name]) => name.startsWith('SOAK_ENV_'))
    .map(([name, value]) => [name.slice('SOAK_ENV_'.length), value]),
);

const world = await startDemoWorld({ tokenLifetimeSecs });
const github = await startFlakyUpstream({ targetUrl: world.github.apiUrl, everySecs: burstEverySecs, burstSecs });
const valkey = await startValkeyProcess(await freePort());
const server = await startServerProcess({
  dir: process.env.SOAK_SERVER_DIR ?? process.cwd(),
  port: await freePort(),
  env: {
    ...world.env,
    GITHUB_API_URL: github.url,
    CACHE_TYPE: 'valkey',
    VALKEY_ADDRESS: valkey.address,
    VALKEY_TLS: 'false',
    CACHE_MIN_TOKEN_LIFETIME_SECS: String(minLifetimeSecs),
    ...serverEnv,
  },
});
const rssStartMiB = server.rssMiB();
const startedMs = performance.now();
const untilMs = startedMs + durationSecs * 1000;
const tally = createTally(minLifetimeSecs * 1000);
const restartsAtSecs = [];

/** Restarts Valkey `valkeyRestarts` times, evenly spread over the run. */
async function restartValkey() {
  for (let i = 1; i <= valkeyRestarts; i += 1) {
    await delay(Math.max(0, startedMs + (durationSecs * 1000 * i) / (valkeyRestarts + 1) - performance.now()));
    if (performance.now() >= untilMs) return;
    restartsAtSecs.push(Math.round((performance.now() - startedMs) / 1000));
    await valkey.restart();
  }
}

try {
  await Promise.all([
    driveTraffic({
      url: server.url,
      pipelines: createPipelines(world, {
        count: setting('SOAK_PIPELINES', 40),
        jobSecs: setting('SOAK_JOB_SECS', 30),
        // Spread over one servable window: from then on some pipeline's token is replaced every few seconds.
        staggerMs: Math.min(tokenLifetimeSecs - minLifetimeSecs, durationSecs / 2) * 1000,
      }),
      tally,
      connections: setting('SOAK_CONNECTIONS', 8),
      ratePerSec: setting('SOAK_RATE', 40),
      untilMs,
    }),
    restartValkey(),
  ]);
  const rssEndMiB = server.rssMiB();
  const s = tally.summary();
  const list = (counts) => Object.entries(counts).map(([key, count]) => `${key}: ${count}`).join(', ') || 'none';
  const rows = [
    ['run', `${durationSecs} s, ${s.requests} requests, GitHub failing ${burstSecs} s of every ${burstEverySecs} s (502, reset, 429 in turn)`],
    ['Valkey restarts', `${restartsAtSecs.length} (${valkey.binary}, at ${restartsAtSecs.map((t) => `${t} s`).join(', ') || '–'})`],
    ['requests', s.requests],
    ['by status (0 = no answer)', list(s.byStatus)],
    ['failures (not 200)', `${s.failures} (${list(s.failuresByKind)})`],
    ['failures a cache could have served', s.servableFailures],
    ['tokens served with less than the minimum lifetime left', s.shortLived],
    ['latency p50 / p99 / max', `${s.p50Ms} / ${s.p99Ms} / ${s.maxMs} ms`],
    ['GitHub mints', world.github.mints.length],
    ['GitHub proxy', list(github.counts)],
    ['Buildkite lookups', world.buildkite.requests],
    ['server RSS start / end', `${rssStartMiB.toFixed(0)} / ${rssEndMiB.toFixed(0)} MiB`],
  ];
  for (const [name, value] of rows) console.log(`${String(name).padEnd(54)} ${value}`);
} finally {
  await server.stop();
  await Promise.all([valkey.stop(), github.close(), world.close()]);
}
