// The soak's callers and its tally. Simulated pipelines, each running jobs one after another
// (a new OIDC token per job), ask for their token and for git credentials of their own
// repository, and now and then of a repository they do not build.
import { randomUUID } from 'node:crypto';
import { setTimeout as delay } from 'node:timers/promises';
import { demoAudience } from '../dist/dev/demo-world.js';

/**
 * `count` pipelines registered with the Buildkite stand-in; half hold an SSH repository URL.
 * They start one after another over `staggerMs` (from now), so that their tokens, and the
 * mints that replace them, are spread over time rather than all falling in one instant.
 */
export function createPipelines(world, { count, jobSecs, staggerMs }) {
  const startMs = performance.now();
  return Array.from({ length: count }, (_, i) => {
    const slug = `soak-${i}`;
    world.buildkite.setPipeline('acme', slug, i % 2 === 0 ? `https://github.com/acme/${slug}.git` : `git@github.com:acme/${slug}.git`);
    const pipelineId = randomUUID();
    let job;
    return {
      slug,
      activeFromMs: startMs + (staggerMs * i) / count,
      /** The current job's token; a new job (and token) every `jobSecs`. */
      token: () => {
        if (job === undefined || performance.now() - job.startedMs > jobSecs * 1000) {
          const claims = { pipeline_slug: slug, pipeline_id: pipelineId, job_id: randomUUID() };
          job = { startedMs: performance.now(), token: world.issuer.signToken(claims, { audience: demoAudience, lifetimeSecs: 3600 }) };
        }
        return job.token;
      },
    };
  });
}

const kinds = [
  ['token', 0.5],
  ['git-own', 0.42],
  ['git-other', 0.08],
];

function pickKind() {
  let roll = Math.random();
  for (const [kind, share] of kinds) {
    if ((roll -= share) < 0) return kind;
  }
  return 'token';
}

function requestFor(kind, slug) {
  if (kind === 'token') return { path: '/token', body: '' };
  const repository = kind === 'git-own' ? slug : `other-${Math.floor(Math.random() * 1000)}`;
  return { path: '/git-credentials', body: `protocol=https\nhost=github.com\npath=acme/${repository}.git\n` };
}

/** When the token in a 200 answer expires, in epoch ms; undefined for "no credentials". */
function expiryOf(kind, text) {
  if (kind === 'token') return Date.parse(JSON.parse(text).expiry);
  const seconds = /password_expiry_utc=(\d+)/.exec(text)?.[1];
  return seconds === undefined ? undefined : Number(seconds) * 1000;
}

/** One request; status 0 is a connection error or no answer within 35 s. */
async function send(url, pipeline, kind) {
  const { path, body } = requestFor(kind, pipeline.slug);
  const headers = { authorization: `Bearer ${await pipeline.token()}`, 'content-type': 'text/plain' };
  const startedMs = Date.now();
  try {
    const response = await fetch(`${url}${path}`, { method: 'POST', headers, body, signal: globalThis.AbortSignal.timeout(35_000) });
    const text = await response.text();
    const expiresAtMs = response.status === 200 && text !== '' ? expiryOf(kind, text) : undefined;
    return { startedMs, status: response.status, expiresAtMs, ms: Date.now() - startedMs };
  } catch {
    return { startedMs, status: 0, expiresAtMs: undefined, ms: Date.now() - startedMs };
  }
}

/**
 * Counts answers. A failure (anything but 200) of a request for a pipeline's own token is
 * one "a cache could have served" when the last token that pipeline was handed still had
 * more than `minLifetimeMs` (plus a second of margin) to live when the request started:
 * the bridge held a servable token and answered an error anyway. A 200 whose token has less
 * than `minLifetimeMs` left is counted too: the cache must never serve one (expected: zero).
 */
export function createTally(minLifetimeMs) {
  const byStatus = {};
  const failuresByKind = {};
  const expiresAtMsOf = new Map();
  const latenciesMs = [];
  let servableFailures = 0;
  let shortLived = 0;
  return {
    record(pipeline, kind, { startedMs, status, expiresAtMs, ms }) {
      byStatus[status] = (byStatus[status] ?? 0) + 1;
      latenciesMs.push(ms);
      const own = kind !== 'git-other';
      if (status === 200) {
        // A served token must have at least the minimum lifetime left (a second of margin for clocks).
        if (expiresAtMs !== undefined && expiresAtMs - (startedMs + ms) < minLifetimeMs - 1000) shortLived += 1;
        if (own && expiresAtMs !== undefined) expiresAtMsOf.set(pipeline.slug, Math.max(expiresAtMs, expiresAtMsOf.get(pipeline.slug) ?? 0));
        return;
      }
      failuresByKind[kind] = (failuresByKind[kind] ?? 0) + 1;
      const held = expiresAtMsOf.get(pipeline.slug);
      if (own && held !== undefined && startedMs < held - minLifetimeMs - 1000) servableFailures += 1;
    },
    summary() {
      const sorted = [...latenciesMs].sort((a, b) => a - b);
      const at = (q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
      const failures = Object.values(failuresByKind).reduce((a, b) => a + b, 0);
      return { requests: sorted.length, byStatus, failures, failuresByKind, servableFailures, shortLived, p50Ms: at(0.5), p99Ms: at(0.99), maxMs: at(1) };
    },
  };
}

/** `connections` callers sending about `ratePerSec` requests a second in all, until `untilMs` (performance.now()). */
export async function driveTraffic({ url, pipelines, tally, connections, ratePerSec, untilMs }) {
  const paceMs = (connections / ratePerSec) * 1000;
  const caller = async () => {
    while (performance.now() < untilMs) {
      const nowMs = performance.now();
      const active = pipelines.filter((pipeline) => pipeline.activeFromMs <= nowMs);
      const pipeline = active[Math.floor(Math.random() * active.length)];
      const kind = pickKind();
      const answer = await send(url, pipeline, kind);
      tally.record(pipeline, kind, answer);
      await delay(Math.max(0, paceMs - answer.ms));
    }
  };
  await Promise.all(Array.from({ length: connections }, caller));
}
