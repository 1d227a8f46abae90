import { describe, expect, it } from 'vitest';
import { demoAudience, startDemoWorld } from '../../src/dev/demo-world.js';
import { runCommand } from '../support/child-process.js';
import { freePort } from '../support/valkey-server.js';

/** ISO 8601 in UTC with milliseconds, as `Date#toISOString` writes it. */
const isoTime = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/**
 * Runs `token-bridge serve` through a failed, an issued and a denied request and a drain,
 * and gives back everything it wrote to stdout, one entry per line.
 */
async function serveThroughEveryOutcome(env: Record<string, string>): Promise<string[]> {
  const world = await startDemoWorld();
  const running = runCommand(['serve'], { ...world.env, SERVER_PORT: '0', METRICS_PORT: String(await freePort()), ...env });
  try {
    const [, listening] = await running.waitFor(/url"?:\s*"(http:\/\/[^"]+)"/);
    const url = (listening ?? '').replace('0.0.0.0', '127.0.0.1');
    await running.waitFor(/server ready/);
    const oidc = await world.issuer.signToken({}, { audience: demoAudience });
    const post = (authorization?: string) =>
      fetch(`${url}/token`, { method: 'POST', headers: authorization === undefined ? {} : { authorization } });
    world.github.failNext(401); // not retried: the request fails at once
    const statuses = [await post(`Bearer ${oidc}`), await post(`Bearer ${oidc}`), await post()].map((r) => r.status);
    expect(statuses).toEqual([502, 200, 401]);
    running.child.kill('SIGTERM');
    expect(await running.exited).toBe(0);
    return running.stdout().split('\n').filter((line) => line !== '');
  } finally {
    running.child.kill('SIGKILL');
    await world.close();
  }
}

// Each test starts the stand-ins and a service process, and drains it: slow on a busy machine.
const serveTimeoutMs = 30_000;

describe('token-bridge serve', () => {
  it('stamps every JSON log line and audit record with an ISO 8601 time', async () => {
    const lines = (await serveThroughEveryOutcome({})).map((line) => JSON.parse(line) as Record<string, unknown>);

    const outcomes = lines.filter((line) => line['msg'] === 'audit_event').map((line) => line['outcome']);
    expect(outcomes).toEqual(['failed', 'issued', 'denied']);
    expect(lines.map((line) => line['msg'])).toEqual(expect.arrayContaining(['server listening', 'server shutdown complete']));
    expect(lines.filter((line) => typeof line['time'] !== 'string' || !isoTime.test(line['time']))).toEqual([]);
  }, serveTimeoutMs);

  it('starts every human-readable line with the same ISO 8601 time with ENV=development', async () => {
    const lines = await serveThroughEveryOutcome({ ENV: 'development' });

    // A record's first line is its header; indented lines continue it.
    const records = lines.filter((line) => !/^\s/.test(line));
    const stamps = records.map((line) =>
      line.startsWith('{') ? (JSON.parse(line) as { time?: unknown }).time : /^\[([^\]]+)\]/.exec(line)?.[1],
    );
    expect(records.filter((line) => line.includes('server ready'))).toHaveLength(1);
    expect(records.filter((_, index) => !isoTime.test(String(stamps[index])))).toEqual([]);
  }, serveTimeoutMs);
});
