import { Valkey } from 'iovalkey';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { startHarness, type Harness } from '../support/harness.js';
import { postToken } from '../support/requests.js';
import { freePort, startValkeyServer, type ValkeyServer } from '../support/valkey-server.js';
import { profilesYaml } from './profile-fixture.js';

let valkey: ValkeyServer;
let inspector: Valkey;
beforeAll(async () => {
  valkey = await startValkeyServer();
  inspector = new Valkey({ host: '127.0.0.1', port: valkey.port });
  inspector.on('error', () => undefined);
});
afterAll(async () => {
  inspector.disconnect();
  await valkey.stop();
});

const harnesses: Harness[] = [];
afterEach(async () => {
  await Promise.all(harnesses.splice(0).map((h) => h.close()));
  await inspector.flushall();
});

const limitEnv = (address: string) => ({ CACHE_TYPE: 'valkey', VALKEY_ADDRESS: address, VALKEY_TLS: 'false', PIPELINE_MINT_LIMIT_PER_MINUTE: '2' });
const scoped = (repository: string) => `/organization/token/scoped?repository-scope=${repository}`;

/** Two instances sharing one Valkey, each once its connection is up. */
async function fleet(): Promise<[Harness, Harness]> {
  const a = await startHarness({ profiles: profilesYaml, env: limitEnv(valkey.address) });
  const b = await startHarness({ profiles: profilesYaml, env: limitEnv(valkey.address), sharedWorld: a.world });
  harnesses.push(b, a);
  for (const h of [a, b]) await vi.waitFor(() => expect(h.background.observed.valkeyConnected?.()).toBe(true));
  return [a, b];
}

describe('the pipeline mint limit with CACHE_TYPE=valkey', () => {
  it('counts the whole fleet\'s mints in one Valkey key per pipeline', async () => {
    const [a, b] = await fleet();
    const oidc = await a.token();
    expect((await postToken(a.app, '/token', oidc)).statusCode).toBe(200);
    expect((await postToken(a.app, scoped('plugin-a'), oidc)).statusCode).toBe(200);

    const limited = await postToken(b.app, scoped('plugin-b'), oidc);

    expect(limited.statusCode).toBe(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThanOrEqual(55);
    expect(Number(limited.headers['retry-after'])).toBeLessThanOrEqual(60);
    expect(b.audit.lines.at(-1)).toMatchObject({ outcome: 'denied', error: 'vendor failure: mint limit reached for acme/widget' });
    expect(await inspector.get('mint-limit:acme/widget')).toBe('3');
  });

  it('serves the other instance\'s cached token to a pipeline over its limit', async () => {
    const [a, b] = await fleet();
    const oidc = await a.token();
    const minted = await postToken(a.app, '/token', oidc);
    await postToken(a.app, scoped('plugin-a'), oidc);
    expect((await postToken(a.app, scoped('plugin-b'), oidc)).statusCode).toBe(429);
    // The shared tier is written after the answer.
    await vi.waitFor(async () => expect(await inspector.keys('*pipeline*')).toHaveLength(1));

    const fromB = await postToken(b.app, '/token', oidc);

    expect(fromB.statusCode).toBe(200);
    expect(fromB.body).toBe(minted.body);
    expect(await inspector.get('mint-limit:acme/widget')).toBe('3');
  });

  it('counts on each instance while Valkey is unreachable', async () => {
    const h = await startHarness({ profiles: profilesYaml, env: limitEnv(`127.0.0.1:${await freePort()}`) });
    harnesses.push(h);
    const oidc = await h.token();
    const statuses = [];
    for (const url of ['/token', scoped('plugin-a'), scoped('plugin-b')]) statuses.push((await postToken(h.app, url, oidc)).statusCode);

    expect(statuses).toEqual([200, 200, 429]);
    expect(h.logs.lines.some((line) => line['msg'] === 'shared counter unavailable, counting on this instance')).toBe(true);
  });
});
