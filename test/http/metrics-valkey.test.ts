import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { startHarness, type Harness } from '../support/harness.js';
import { valueOf } from '../support/prometheus-text.js';
import { postToken } from '../support/requests.js';
import { scrapeMetrics } from '../support/scrape-metrics.js';
import { startValkeyServer, type ValkeyServer } from '../support/valkey-server.js';

let valkey: ValkeyServer;
beforeAll(async () => {
  valkey = await startValkeyServer();
});
afterAll(async () => valkey.stop());

const harnesses: Harness[] = [];
afterEach(async () => {
  await Promise.all(harnesses.splice(0).map((h) => h.close()));
});

/** Two instances sharing one Valkey, each once its connection is up. */
async function fleet(): Promise<[Harness, Harness]> {
  const env = { CACHE_TYPE: 'valkey', VALKEY_ADDRESS: valkey.address, VALKEY_TLS: 'false' };
  const a = await startHarness({ env });
  const b = await startHarness({ env, sharedWorld: a.world });
  harnesses.push(b, a);
  for (const h of [a, b]) {
    await vi.waitFor(async () => expect(valueOf((await scrapeMetrics(h.metrics)).families, 'token_bridge_valkey_connected')).toBe(1));
  }
  return [a, b];
}

const results = async (h: Harness) => {
  const { families } = await scrapeMetrics(h.metrics);
  const count = (tier: string, result: string) => valueOf(families, 'token_bridge_token_cache_results_total', { tier, result });
  return {
    memory: { hit: count('memory', 'hit'), miss: count('memory', 'miss') },
    valkey: { hit: count('valkey', 'hit'), miss: count('valkey', 'miss'), error: count('valkey', 'error') },
  };
};
const valkeyCalls = async (h: Harness, operation: string, outcome = 'ok') => {
  const { families } = await scrapeMetrics(h.metrics);
  return valueOf(families, 'token_bridge_upstream_request_duration_seconds_count', { upstream: 'valkey', operation, outcome });
};

describe('metrics of a Valkey-backed instance', () => {
  it('counts cache results per tier and times Valkey commands beside the other upstreams', async () => {
    const [a, b] = await fleet();
    await postToken(a.app, '/token', await a.token());
    // The mint is stored, then the fleet lock released, after the answer.
    await vi.waitFor(async () => expect(await valkeyCalls(a, 'EVAL release')).toBe(1));
    await postToken(b.app, '/token', await b.token());
    await postToken(b.app, '/token', await b.token());

    expect(await results(a)).toEqual({ memory: { hit: 0, miss: 1 }, valkey: { hit: 0, miss: 1, error: 0 } });
    expect(await results(b)).toEqual({ memory: { hit: 1, miss: 1 }, valkey: { hit: 1, miss: 0, error: 0 } });
    expect(await valkeyCalls(a, 'SET NX')).toBe(1);
    // Stored once, by the fleet lock holder (the tiered cache leaves shared writes to it).
    expect(await valkeyCalls(a, 'SET')).toBe(1);
    expect(await valkeyCalls(b, 'GET')).toBe(1);
    expect(a.world.github.requests).toBe(1);
  });

  it('counts a Valkey that hangs as a valkey-tier error and a command timeout', async () => {
    const [, b] = await fleet();
    valkey.freeze();
    try {
      await postToken(b.app, '/token', await b.token());
    } finally {
      valkey.thaw();
    }
    expect((await results(b)).valkey.error).toBe(1);
    expect(await valkeyCalls(b, 'GET', 'timeout')).toBe(1);
    const { families } = await scrapeMetrics(b.metrics);
    expect(valueOf(families, 'token_bridge_upstream_errors_total', { upstream: 'valkey', operation: 'GET', outcome: 'timeout' })).toBe(1);
  });

  it('shows the connection gone once Valkey is', async () => {
    const [a] = await fleet();
    await valkey.kill();
    await vi.waitFor(async () => expect(valueOf((await scrapeMetrics(a.metrics)).families, 'token_bridge_valkey_connected')).toBe(0));
    await valkey.restart();
  });
});
