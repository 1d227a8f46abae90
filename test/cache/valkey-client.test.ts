import { setTimeout as delay } from 'node:timers/promises';
import { Valkey } from 'iovalkey';
import { pino } from 'pino';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createValkeyClient, type ValkeyConnection } from '../../src/cache/valkey-client.js';
import { createManualClock } from '../../src/lib/clock.js';
import { captureLines } from '../support/capture-stream.js';
import { freePort, startValkeyServer, type ValkeyServer } from '../support/valkey-server.js';

/** Polls until `check` holds; fails the test after `timeoutMs`. */
async function eventually(check: () => boolean | Promise<boolean>, timeoutMs = 5_000): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!(await check())) {
    if (performance.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await delay(10);
  }
}

/** How long `run` takes to settle, and whether it rejected. */
async function timed(run: () => Promise<unknown>): Promise<{ ms: number; error: unknown }> {
  const started = performance.now();
  const error = await run().then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  return { ms: performance.now() - started, error };
}

const messages = (lines: Record<string, unknown>[], msg: string) => lines.filter((line) => line.msg === msg);

describe('valkey client', () => {
  const opened: ValkeyConnection[] = [];
  const open = (options: Omit<Parameters<typeof createValkeyClient>[0], 'tls' | 'logger'>, logLines = captureLines()) => {
    const connection = createValkeyClient({ tls: false, logger: pino({ level: 'debug' }, logLines.stream), ...options });
    opened.push(connection);
    return { connection, logLines };
  };

  afterEach(async () => {
    await Promise.all(opened.splice(0).map((connection) => connection.close()));
  });

  describe('with a server that goes away and comes back', () => {
    let server: ValkeyServer;
    beforeAll(async () => {
      server = await startValkeyServer();
    });
    afterAll(() => server.stop());

    it('fails commands at once while the server is down, and works again once it is back, with the same client', async () => {
      const { connection, logLines } = open({ address: server.address });
      await eventually(() => connection.connected());
      expect(messages(logLines.lines, 'valkey connected')).toHaveLength(1);
      await connection.client.set('k:before', 'v');

      await server.kill();
      for (const run of [() => connection.client.get('k:before'), () => connection.client.set('k:down', 'v')]) {
        const { ms, error } = await timed(run);
        expect(error).toBeInstanceOf(Error);
        expect(ms).toBeLessThan(1_000);
      }

      await server.restart();
      await eventually(() => connection.client.ping().then(
        () => true,
        () => false,
      ));
      expect(connection.connected()).toBe(true);
      await connection.client.set('k:after', 'v');
      expect(await connection.client.get('k:after')).toBe('v');
      expect(messages(logLines.lines, 'valkey connection lost')).toHaveLength(1);
      expect(messages(logLines.lines, 'valkey connected')).toHaveLength(2);
    });

    it('fails a command after the 200 ms timeout while the server hangs, and answers again once it resumes', async () => {
      const { connection } = open({ address: server.address });
      await eventually(() => connection.connected());
      server.freeze();
      try {
        const { ms, error } = await timed(() => connection.client.get('k:hung'));
        expect(error).toMatchObject({ message: 'Command timed out' });
        expect(ms).toBeGreaterThanOrEqual(150);
        expect(ms).toBeLessThan(1_000);
      } finally {
        server.thaw();
      }
      await connection.client.set('k:resumed', 'v');
      expect(await connection.client.get('k:resumed')).toBe('v');
    });
  });

  describe('when nothing listens at start-up', () => {
    it('starts without throwing, logs `valkey unreachable` at most every 30 s, and connects once the server is up', async () => {
      const clock = createManualClock(1_000_000);
      const port = await freePort();
      const { connection, logLines } = open({ address: `127.0.0.1:${port}`, clock });
      expect(connection.connected()).toBe(false);
      const { ms, error } = await timed(() => connection.client.get('k:early'));
      expect(error).toBeInstanceOf(Error);
      expect(ms).toBeLessThan(1_000);

      const attempts = () => messages(logLines.lines, 'valkey connection error').length;
      await eventually(() => attempts() >= 3);
      expect(messages(logLines.lines, 'valkey unreachable')).toEqual([
        expect.objectContaining({ level: 50, address: `127.0.0.1:${port}`, reason: 'ECONNREFUSED' }),
      ]);

      clock.advanceMs(30_000);
      await eventually(() => messages(logLines.lines, 'valkey unreachable').length === 2);

      const server = await startValkeyServer({ port });
      try {
        await eventually(() => connection.connected());
        expect(messages(logLines.lines, 'valkey connected')).toEqual([expect.objectContaining({ level: 30 })]);
        await connection.client.set('k:late', 'v');
      } finally {
        await connection.close();
        await server.stop();
      }
    });
  });

  describe('with a password provider', () => {
    let server: ValkeyServer;
    let admin: Valkey;
    let password = 'first-password';
    const calls: string[] = [];
    const passwordProvider = () => {
      calls.push(password);
      return Promise.resolve(password);
    };
    /** Changes the server's password; connections already authenticated stay so. */
    const rotate = async (next: string) => {
      await admin.config('SET', 'requirepass', next);
      admin.options.password = next;
      password = next;
    };

    beforeAll(async () => {
      server = await startValkeyServer({ requirePassword: password });
      admin = new Valkey({ host: '127.0.0.1', port: server.port, password });
      admin.on('error', () => undefined);
      await admin.ping();
    });
    afterAll(async () => {
      admin.disconnect();
      await server.stop();
    });

    it('authenticates every new connection with the password the provider gives then', async () => {
      calls.length = 0;
      const { connection } = open({ address: server.address, passwordProvider });
      await eventually(() => connection.connected());
      const firstId = await connection.client.client('ID');

      await rotate('second-password');
      await admin.client('KILL', 'ID', String(firstId));
      await eventually(async () => (await connection.client.client('ID').catch(() => firstId)) !== firstId);

      await connection.client.set('k:rotated', 'v');
      expect(calls).toEqual(['first-password', 'second-password']);
    });

    it('retries when the provider fails, logging `valkey unreachable`', async () => {
      let failures = 2;
      const flaky = () => (failures-- > 0 ? Promise.reject(new Error('credentials unavailable')) : passwordProvider());
      const { connection, logLines } = open({ address: server.address, passwordProvider: flaky });
      await eventually(() => connection.connected());
      expect(messages(logLines.lines, 'valkey unreachable')).toEqual([
        expect.objectContaining({ reason: 'password provider failed: credentials unavailable' }),
      ]);
      expect(await connection.client.ping()).toBe('PONG');
    });

    it('replaces a connection that reached its maximum age, with a fresh password', async () => {
      calls.length = 0;
      const { connection, logLines } = open({ address: server.address, passwordProvider, maxConnectionAgeMs: 300 });
      await eventually(() => connection.connected());
      const firstId = await connection.client.client('ID');
      await rotate('third-password');

      await eventually(async () => (await connection.client.client('ID').catch(() => firstId)) !== firstId);
      expect(messages(logLines.lines, 'valkey connection recycled').length).toBeGreaterThanOrEqual(1);
      expect(messages(logLines.lines, 'valkey connection lost')).toEqual([]);
      expect(calls.slice(0, 2)).toEqual(['second-password', 'third-password']);
      expect(await connection.client.ping()).toBe('PONG');
    });
  });

  describe('when the address is not host:port', () => {
    it('throws valkey_address_invalid', () => {
      for (const address of ['localhost', 'localhost:', ':6379', 'localhost:99999', '::1:6379']) {
        expect(() => open({ address })).toThrow(expect.objectContaining({ code: 'valkey_address_invalid', address }));
      }
    });
  });
});
