// Load benchmark (not a test): cached POST /token next to GET /healthcheck on one server,
// then the server's RSS. Run with `npm run bench`; it builds first. Loopback only, bounded
// in time, stops by itself.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import autocannon from 'autocannon';
import { demoAudience, startDemoWorld } from '../dist/dev/demo-world.js';

const durationSecs = Number(process.env.BENCH_DURATION_SECS ?? 10);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 10);

const world = await startDemoWorld();
// Observability settings pass through, to measure their cost: METRICS_ENABLED=false, OBSERVE_ENABLED=true …
const observability = Object.fromEntries(
  Object.entries(process.env).filter(([name]) => /^(METRICS_|OBSERVE_|OTEL_)/.test(name)),
);
const server = spawn(process.execPath, ['dist/cli.js', 'serve'], {
  env: { PATH: process.env.PATH, ...world.env, ...observability, SERVER_PORT: '0' },
  stdio: ['ignore', 'pipe', 'inherit'],
});
const url = await new Promise((resolve, reject) => {
  let seen = '';
  const onData = (chunk) => {
    seen += chunk.toString();
    // Ready, not just listening: the instance first learns the default installation's account.
    const match = seen.match(/"url":"http:\/\/[^:]+:(\d+)"[^\n]*"msg":"server ready"/);
    if (match) {
      server.stdout.off('data', onData);
      server.stdout.resume(); // audit lines are drained, not kept
      resolve(`http://127.0.0.1:${match[1]}`);
    }
  };
  server.stdout.on('data', onData);
  server.once('exit', (code) => reject(new Error(`server exited ${code}`)));
});

const rssMiB = () => {
  const line = readFileSync(`/proc/${server.pid}/status`, 'utf8').match(/VmRSS:\s+(\d+) kB/);
  return line ? Math.round(Number(line[1]) / 1024) : NaN;
};

// Server CPU time (user + system) from /proc, in ms: per request it is steadier than req/s
// on a machine where the load generator and other work share the cores.
const cpuMs = () => {
  const fields = readFileSync(`/proc/${server.pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // utime, stime in 1/100 s
};

const oidc = await world.issuer.signToken({}, { audience: demoAudience, lifetimeSecs: 3600 });
const headers = { authorization: `Bearer ${oidc}` };
const warm = await fetch(`${url}/token`, { method: 'POST', headers });
if (warm.status !== 200) throw new Error(`warm-up failed: ${warm.status}`);

const run = (title, options) =>
  autocannon({ url: `${url}${options.path}`, method: options.method, headers: options.headers, connections, duration: durationSecs, title });

const rssBefore = rssMiB();
const measured = async (title, options) => {
  const cpuBefore = cpuMs();
  const result = await run(title, options);
  return { ...result, cpuUsPerRequest: ((cpuMs() - cpuBefore) * 1000) / result.requests.total };
};
const token = await measured('POST /token (cached)', { path: '/token', method: 'POST', headers });
const health = await measured('GET /healthcheck', { path: '/healthcheck', method: 'GET' });
const rssAfter = rssMiB();

const row = (result) =>
  `${result.title.padEnd(22)} ${String(Math.round(result.requests.average)).padStart(8)} req/s  p50 ${result.latency.p50} ms  p99 ${result.latency.p99} ms  non-2xx ${result.non2xx}  errors ${result.errors}  server CPU ${Math.round(result.cpuUsPerRequest)} µs/request`;
console.log(`node ${process.version}, ${connections} connections, ${durationSecs} s each${Object.keys(observability).length ? `, ${Object.entries(observability).map(([k, v]) => `${k}=${v}`).join(' ')}` : ''}`);
console.log(row(token));
console.log(row(health));
console.log(`GitHub mints during the run: ${world.github.mints.length} (1 = every request served from cache)`);
console.log(`server RSS: ${rssBefore} MiB before load, ${rssAfter} MiB after load`);

server.kill('SIGTERM');
await new Promise((resolve) => server.once('exit', resolve));
await world.close();
