import { spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { parse } from 'yaml';
import { tinkVectors } from '../cache/encryption/encryption-fixtures.js';
import { profilesYaml } from '../http/profile-fixture.js';
import { startHarness, type Harness } from '../support/harness.js';
import { seriesSelectors, selectsSome } from '../support/promql-selectors.js';
import { valueOf } from '../support/prometheus-text.js';
import { postToken } from '../support/requests.js';
import { scrapeMetrics, type Scrape } from '../support/scrape-metrics.js';
import { requireCommand } from '../support/system-tool.js';
import { startValkeyServer, type ValkeyServer } from '../support/valkey-server.js';
import { readRepoFile } from './deploy-files.js';

interface DashboardPanel {
  readonly title: string;
  readonly targets?: readonly { readonly expr: string }[];
}

/** The dashboard's queries, with Grafana's variables as a query would see them. */
function dashboardQueries(): { panel: string; expr: string }[] {
  // The shape is Grafana's; a panel without targets (a row) has no query.
  const dashboard = JSON.parse(readRepoFile('deploy/grafana/token-bridge.json')) as { panels: DashboardPanel[] };
  const variables: Record<string, string> = { $job: '.*', $__rate_interval: '1m', $__range: '1h' };
  return dashboard.panels.flatMap((panel) =>
    (panel.targets ?? []).map(({ expr }) => ({
      panel: panel.title,
      expr: expr.replace(/\$\w+/g, (name) => variables[name] ?? name),
    })),
  );
}

function alertQueries(): { panel: string; expr: string }[] {
  // The shape is Prometheus's; deploy/prometheus's own test runs promtool on the file.
  const file = parse(readRepoFile('deploy/prometheus/token-bridge.rules.yaml')) as { groups: { rules: { alert: string; expr: string }[] }[] };
  return file.groups.flatMap((group) => group.rules.map((rule) => ({ panel: rule.alert, expr: rule.expr })));
}

/** The selectors of `queries` that select no sample of the page, as `where: selector`. */
function missingSeries(queries: { panel: string; expr: string }[], { families }: Scrape): string[] {
  return queries.flatMap(({ panel, expr }) =>
    seriesSelectors(expr)
      .filter((selector) => !selectsSome(families, selector))
      .map(({ metric, matchers }) => `${panel}: ${metric}{${matchers.map((m) => `${m.label}${m.op}"${m.value}"`).join(',')}}`),
  );
}

/** The page's own `token_bridge_*` families, HELP and TYPE lines included. */
const ownFamilies = (text: string) =>
  text
    .split('\n')
    .filter((line) => /^(# (HELP|TYPE) )?token_bridge_/.test(line))
    .join('\n') + '\n';

let valkey: ValkeyServer;
let keysetDir: string;
let h: Harness;
let scrape: Scrape;
beforeAll(async () => {
  valkey = await startValkeyServer();
  keysetDir = await mkdtemp(join(tmpdir(), 'token-bridge-keyset-'));
  await writeFile(join(keysetDir, 'keyset.json'), JSON.stringify(tinkVectors.tinkeyExampleKeyset));
  // Every part that has metrics: a profile file from GitHub, Valkey, cache encryption.
  h = await startHarness({
    githubProfiles: profilesYaml,
    env: {
      CACHE_TYPE: 'valkey',
      VALKEY_ADDRESS: valkey.address,
      VALKEY_TLS: 'false',
      CACHE_ENCRYPTION_ENABLED: 'true',
      CACHE_ENCRYPTION_KEYSET_FILE: join(keysetDir, 'keyset.json'),
    },
  });
  await vi.waitFor(async () => expect(valueOf((await scrapeMetrics(h.metrics)).families, 'token_bridge_valkey_connected')).toBe(1));
  const oidc = await h.token();
  h.world.github.failNext(401);
  const statuses = [
    await postToken(h.app, '/token', oidc), // failed: GitHub answers 401 (not retried)
    await postToken(h.app, '/token', oidc), // issued
    await postToken(h.app, '/token', oidc), // issued from the cache
    await postToken(h.app, '/token', undefined), // denied: no token
    await postToken(h.app, '/organization/token/release', await h.token({ build_branch: 'feature' })), // denied: match rules
  ].map((response) => response.statusCode);
  expect(statuses).toEqual([502, 200, 200, 401, 403]);
  scrape = await scrapeMetrics(h.metrics);
});
afterAll(async () => {
  await h.close();
  await valkey.stop();
  await rm(keysetDir, { recursive: true, force: true });
});

describe('a running server that issued, denied and failed requests', () => {
  it('serves token_bridge_* metrics that promtool check metrics finds clean', () => {
    const own = ownFamilies(scrape.text);
    expect(own).toContain('token_bridge_vends_total{');
    const result = spawnSync(requireCommand('promtool', 'prometheus'), ['check', 'metrics'], { input: own, encoding: 'utf8' });
    expect(`${result.stdout}${result.stderr}`).toBe('');
    expect(result.status).toBe(0);
  });

  it('exports every series the Grafana dashboard queries', () => {
    const queries = dashboardQueries();
    expect(queries.length).toBeGreaterThan(15);
    expect(missingSeries(queries, scrape)).toEqual([]);
  });

  it('exports every series the alert rules use', () => {
    expect(missingSeries(alertQueries(), scrape)).toEqual([]);
  });
});

describe('reading the selectors out of a query', () => {
  it('finds each series with its matchers, and no function, keyword or label list', () => {
    const expr =
      'histogram_quantile(0.99, sum by (le) (rate(a_bucket{route=~"/token.*",job!="x"}[5m]))) / on (job) b unless c{state="invalid"} offset 5m > 0.05';
    expect(seriesSelectors(expr)).toEqual([
      { metric: 'a_bucket', matchers: [{ label: 'route', op: '=~', value: '/token.*' }, { label: 'job', op: '!=', value: 'x' }] },
      { metric: 'b', matchers: [] },
      { metric: 'c', matchers: [{ label: 'state', op: '=', value: 'invalid' }] },
    ]);
  });

  it('tells a series that is not on the page, or not with those labels', () => {
    const missing = missingSeries(
      [{ panel: 'p', expr: 'sum(token_bridge_vends_total{outcome="exploded"}) + token_bridge_no_such_metric' }],
      scrape,
    );
    expect(missing).toEqual(['p: token_bridge_vends_total{outcome="exploded"}', 'p: token_bridge_no_such_metric{}']);
  });
});
