// Load benchmark (not a test), `npm run bench` (it builds first). Starts the stand-ins and
// the server as its own process and measures, in one run: GET /healthcheck, cached
// POST /token with each OIDC token sent 6 times, cached POST /token with a new OIDC token
// each request (a fixed number of requests each; server CPU per request, its ratio to
// /healthcheck's, p50, p99), a miss's cost
// above its two upstream calls, RSS idle and after 100,000 and 200,000 requests, and the
// time from spawn to ready. Prints the table and writes it to docs/performance.md
// (BENCH_WRITE_DOC=0 to skip). Loopback only, bounded in time, stops by itself.
//   BENCH_SERVER_DIR=../other-checkout  measures another build (alternate before/after runs)
import { createServer } from 'node:net';
import { randomUUID } from 'node:crypto';
import { demoAudience, startDemoWorld } from '../dist/dev/demo-world.js';
import { runPhase } from './load.mjs';
import { measureMiss } from './miss.mjs';
import { renderReport, writeReport } from './report.mjs';
import { startServerProcess } from './server-process.mjs';

const durationSecs = Number(process.env.BENCH_DURATION_SECS ?? 4);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 16);
const serverDir = process.env.BENCH_SERVER_DIR ?? process.cwd();

const freePort = () =>
  new Promise((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });

/** `count` distinct OIDC tokens for the demo pipeline (distinct job ids). */
async function signTokens(world, count) {
  const tokens = [];
  for (let i = 0; i < count; i += 50) {
    const batch = Array.from({ length: Math.min(50, count - i) }, () =>
      world.issuer.signToken({ job_id: randomUUID() }, { audience: demoAudience, lifetimeSecs: 3600 }),
    );
    tokens.push(...(await Promise.all(batch)));
  }
  return tokens;
}

const world = await startDemoWorld();
// Observability settings pass through, to measure their cost: METRICS_ENABLED=false, OBSERVE_ENABLED=true …
const passed = Object.fromEntries(Object.entries(process.env).filter(([name]) => /^(METRICS_|OBSERVE_|OTEL_|LOG_LEVEL$)/.test(name)));
const server = await startServerProcess({ dir: serverDir, env: { ...world.env, ...passed }, port: await freePort() });
try {
  const idleRssMiB = server.rssMiB();
  const fresh = await signTokens(world, Number(process.env.BENCH_FRESH_TOKENS ?? 24_000));
  const reused = fresh.slice(0, Number(process.env.BENCH_REUSED_TOKENS ?? 4000));
  const warm = await fetch(`${server.url}/token`, { method: 'POST', headers: { authorization: `Bearer ${reused[0]}` } });
  if (warm.status !== 200) throw new Error(`warm-up answered ${warm.status}`);
  const phase = (title, options) => runPhase(server, { title, connections, durationSecs, ...options });
  const health = await phase('GET /healthcheck', { method: 'GET', path: '/healthcheck' });
  // A fixed amount of work per token phase, whatever the machine's speed: each reused token
  // is sent `reuses` times, each new one once, so the share of first uses (RSA checks) is fixed.
  const reuses = Number(process.env.BENCH_REUSES ?? 6);
  const reusedAmount = { amount: reused.length * reuses, durationSecs: undefined };
  const cachedReused = await phase('cached POST /token, token reused', { method: 'POST', path: '/token', tokens: reused, ...reusedAmount });
  const newTokens = fresh.slice(reused.length);
  const cachedFresh = await phase('cached POST /token, new token', { method: 'POST', path: '/token', tokens: newTokens, amount: newTokens.length, durationSecs: undefined });
  const miss = await measureMiss(server, world, { samples: Number(process.env.BENCH_MISS_SAMPLES ?? 30), githubDelayMs: 100 });
  const soFar = health.requests + cachedReused.requests + cachedFresh.requests;
  // The measured phases may already have served 100,000 requests on a fast machine.
  if (soFar < 100_000) {
    await phase('memory to 100,000', { method: 'POST', path: '/token', tokens: reused, amount: 100_000 - soFar, durationSecs: undefined });
  }
  const rss100kMiB = server.rssMiB();
  await phase('memory to 200,000', { method: 'POST', path: '/token', tokens: reused, amount: 100_000, durationSecs: undefined });
  const rss200kMiB = server.rssMiB();
  const report = renderReport({
    node: process.version,
    connections,
    durationSecs,
    settings: { ...passed, ...(server.nodeOptions && { NODE_OPTIONS: `"${server.nodeOptions}"` }) },
    phases: [health, cachedReused, cachedFresh],
    miss,
    memory: { idleRssMiB, rss100kMiB, rss200kMiB, firstCount: Math.max(soFar, 100_000) },
    readyMs: server.readyMs,
    mints: world.github.mints.length,
  });
  console.log(report);
  if (process.env.BENCH_WRITE_DOC !== '0') await writeReport(report);
} finally {
  await server.stop();
  await world.close();
}
