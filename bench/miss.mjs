// A cache miss's cost above its upstream calls: sequential first requests for new pipelines
// (one Buildkite lookup and one GitHub mint each, GitHub answering after `githubDelayMs`),
// next to the same two loopback calls made by the bench itself.
import { randomUUID } from 'node:crypto';
import { demoAudience } from '../dist/dev/demo-world.js';

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

async function timed(run) {
  const startedAt = performance.now();
  await run();
  return performance.now() - startedAt;
}

/** Median miss latency, median of the bench's own two upstream calls, and the difference. */
export async function measureMiss(server, world, { samples, githubDelayMs }) {
  world.github.setDelayMs(githubDelayMs);
  const misses = [];
  const upstreams = [];
  for (let i = 0; i < samples; i += 1) {
    const slug = `bench-miss-${i}-${randomUUID().slice(0, 8)}`;
    world.buildkite.setPipeline('acme', slug, 'https://github.com/acme/widget');
    const token = await world.issuer.signToken(
      { pipeline_slug: slug, pipeline_id: randomUUID() },
      { audience: demoAudience, lifetimeSecs: 3600 },
    );
    const headers = { authorization: `Bearer ${token}` };
    misses.push(await timed(async () => {
      const response = await fetch(`${server.url}/token`, { method: 'POST', headers });
      if (response.status !== 200) throw new Error(`miss answered ${response.status}`);
      await response.arrayBuffer();
    }));
    upstreams.push(await timed(async () => {
      // The same two calls the bridge makes: the pipeline lookup, then a token request
      // (answered 401 here, after the same delay, for want of an App JWT).
      const pipeline = `${world.buildkite.url}/v2/organizations/acme/pipelines/${slug}`;
      await (await fetch(pipeline, { headers: { authorization: `Bearer ${world.env.BUILDKITE_API_TOKEN}` } })).arrayBuffer();
      await (await fetch(`${world.github.apiUrl}/app/installations/1/access_tokens`, { method: 'POST' })).arrayBuffer();
    }));
  }
  world.github.setDelayMs(0);
  const missMs = median(misses);
  const upstreamMs = median(upstreams);
  return { missMs, upstreamMs, overheadMs: missMs - upstreamMs };
}
