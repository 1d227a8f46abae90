// The benchmark's table, as printed and as kept in docs/performance.md.
import { cpus, totalmem } from 'node:os';
import { readFile, writeFile } from 'node:fs/promises';

const round = (value, digits = 0) => Number(value.toFixed(digits)).toLocaleString('en-US');

export function renderReport({ node, connections, durationSecs, settings, phases, miss, memory, readyMs, mints }) {
  const [health] = phases;
  const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'unknown CPU'}, ${round(totalmem() / 2 ** 30)} GiB`;
  const extra = Object.entries(settings).map(([name, value]) => `${name}=${value}`).join(' ');
  const rows = phases.map((p) =>
    `| ${p.title} | ${round(p.cpuUsPerRequest)} µs | ${round(p.cpuUsPerRequest / health.cpuUsPerRequest, 1)}× | ${p.p50} ms | ${p.p99} ms | ${round(p.p99 / Math.max(health.p99, 1), 1)}× | ${round(p.rps)} | ${p.tokenUses === undefined ? '–' : round(p.tokenUses, 1)} | ${p.non2xx + p.errors} | ${round(p.clientCpuUsPerRequest)} µs |`,
  );
  return [
    `Measured ${new Date().toISOString().slice(0, 10)} on ${machine}, Node ${node}; ${connections} keep-alive connections; /healthcheck for ${durationSecs} s, the token phases a fixed number of requests${extra ? `; ${extra}` : ''}.`,
    '',
    '| phase | server CPU / request | ÷ /healthcheck | p50 | p99 | p99 ÷ /healthcheck | req/s | uses per OIDC token | non-2xx or errors | bench CPU / request |',
    '|---|---|---|---|---|---|---|---|---|---|',
    ...rows,
    '',
    '| figure | value |',
    '|---|---|',
    `| miss: median latency, GitHub answering after 100 ms | ${round(miss.missMs, 1)} ms |`,
    `| the bench's own two loopback calls (Buildkite lookup, GitHub token request) | ${round(miss.upstreamMs, 1)} ms |`,
    `| miss overhead above them | ${round(miss.overheadMs, 1)} ms |`,
    `| RSS idle, after ready | ${round(memory.idleRssMiB)} MiB |`,
    `| RSS after ${round(memory.firstCount)} requests | ${round(memory.rss100kMiB)} MiB |`,
    `| RSS after ${round(memory.firstCount + 100_000)} requests | ${round(memory.rss200kMiB)} MiB (${round((memory.rss200kMiB / memory.rss100kMiB - 1) * 100, 1)}% over the first) |`,
    `| spawn to ready (first 200 from /healthcheck) | ${round(readyMs)} ms |`,
    `| GitHub mints during the run | ${mints} |`,
  ].join('\n');
}

const start = '<!-- bench:start -->';
const end = '<!-- bench:end -->';

/** Replaces the generated part of docs/performance.md (between its markers) with `report`. */
export async function writeReport(report) {
  const path = new URL('../docs/performance.md', import.meta.url);
  const page = await readFile(path, 'utf8');
  const from = page.indexOf(start);
  const to = page.indexOf(end);
  if (from < 0 || to < from) throw new Error('docs/performance.md lacks the bench markers');
  await writeFile(path, `${page.slice(0, from + start.length)}\n${report}\n${page.slice(to)}`);
}
