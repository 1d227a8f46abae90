import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { runCommand, type RunningCommand } from '../support/child-process.js';

const commands = ['serve', 'demo', 'stand-in', 'dev-app-key', 'profiles check', 'profiles explain', 'help'];
const mainPath = fileURLToPath(new URL('../../dist/main.js', import.meta.url));

let command: RunningCommand | undefined;
afterEach(() => {
  command?.child.kill('SIGKILL');
  command = undefined;
});

async function finished(args: string[], env: Record<string, string> = {}) {
  command = runCommand(args, env);
  const code = await command.exited;
  return { code, stdout: command.stdout(), stderr: command.stderr() };
}

describe('token-bridge', () => {
  it.each([['--help'], ['-h'], ['help']])('%s prints the usage with every command to stdout and exits 0', async (flag) => {
    const { code, stdout, stderr } = await finished([flag]);

    expect(code).toBe(0);
    expect(stderr).toBe('');
    expect(stdout).toMatch(/^Usage: token-bridge <command>/);
    for (const name of commands) expect(stdout).toMatch(new RegExp(`^  ${name}\\b`, 'm'));
  });

  describe.each([
    ['serve', ['serve', '--help'], 'SIGTERM'],
    ['serve', ['serve', '-h'], 'SIGTERM'],
    ['demo', ['demo', '--check', '--help'], '--profiles FILE'],
    ['dev-app-key', ['dev-app-key', '-h'], '--out DIR'],
    ['stand-in', ['stand-in', '--help'], 'oidc-issuer'],
    ['stand-in oidc-issuer', ['stand-in', 'oidc-issuer', '--help'], '--issuer-url'],
    ['stand-in buildkite', ['stand-in', 'buildkite', '--port', '1', '--help'], '--pipeline'],
    ['stand-in github', ['stand-in', 'github', '-h'], '--public-key-file'],
    ['profiles', ['profiles', '--help'], 'profiles explain'],
    ['profiles check', ['profiles', 'check', '--help'], 'FILE'],
    ['profiles explain', ['profiles', 'explain', 'profiles.yaml', '--help'], '--claims'],
    ['profiles explain', ['help', 'profiles', 'explain'], '--claims'],
  ])('%s', (topic, args, flag) => {
    it(`${args.join(' ')} prints its own usage to stdout, exits 0 and starts nothing`, async () => {
      // No configuration: serve would exit 1 and a stand-in or the demo would keep running.
      const { code, stdout, stderr } = await finished(args);

      expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
      expect(stdout).toMatch(new RegExp(`^Usage: token-bridge ${topic}\\b`));
      expect(stdout).toContain(flag);
      expect(stdout).not.toMatch(/listening|Commands:/);
    });
  });

  it('points a usage error at the command’s own --help', async () => {
    const { code, stdout, stderr } = await finished(['profiles']);

    expect({ code, stdout }).toEqual({ code: 2, stdout: '' });
    expect(stderr).toBe(
      'token-bridge: profiles needs check or explain\n' +
        'Run token-bridge profiles --help for its usage, token-bridge --help for every command.\n',
    );
  });

  it('names an unknown command and prints the usage to stderr, exit 2', async () => {
    const { code, stdout, stderr } = await finished(['frobnicate']);

    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toMatch(/^token-bridge: unknown command "frobnicate"\n\nUsage: token-bridge/);
  });

  it('prints the usage to stderr when no command is given, exit 2', async () => {
    const { code, stdout, stderr } = await finished([]);

    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toMatch(/^token-bridge: missing command\n\nUsage: token-bridge/);
  });

  it('answers a malformed command line with exit 2 and a pointer to --help', async () => {
    const { code, stderr } = await finished(['stand-in', 'oidc-issuer', '--nope']);

    expect(code).toBe(2);
    expect(stderr).toMatch(/--nope/);
    expect(stderr).toMatch(/token-bridge --help/);
  });

  it.each([
    [['demo', '--port', 'eighty'], 'token-bridge: --port must be an integer 0-65535, got "eighty"'],
    [['demo', '--check', '--profiles', 'no-such-profiles.yaml'], 'token-bridge: --profiles "no-such-profiles.yaml" cannot be read: no such file'],
    [['stand-in', 'oidc-issuer', '--port', '70000'], 'token-bridge: --port must be an integer 0-65535, got "70000"'],
    [['stand-in', 'github', '--app-id', '1'], 'token-bridge: github needs --installation-id'],
    [['stand-in', 'mock-aws'], 'token-bridge: stand-in: unknown stand-in "mock-aws" (oidc-issuer, buildkite or github)'],
  ])('%j names the flag at fault before starting anything, exit 2', async (args, message) => {
    const { code, stdout, stderr } = await finished(args);

    expect({ code, stdout }).toEqual({ code: 2, stdout: '' });
    expect(stderr.split('\n')[0]).toBe(message);
  });

  it('serve behaves as npm start (node dist/main.js): the same answer to the same configuration', async () => {
    const env = { JWT_BUILDKITE_ORGANIZATION_SLUG: 'acme', GITHUB_APP_ID: 'not-a-number' };
    const serve = await finished(['serve'], env);
    const child = spawn(process.execPath, [mainPath], { env: { PATH: process.env.PATH ?? '', ...env } });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));

    expect(serve.code).toBe(1);
    expect(serve.stderr).toMatch(/invalid configuration/);
    expect({ code, stderr }).toEqual({ code: serve.code, stderr: serve.stderr });
  });

  it('runs the OIDC issuer stand-in under the issuer URL it is given', async () => {
    command = runCommand(['stand-in', 'oidc-issuer', '--port', '0', '--issuer-url', 'http://oidc-issuer:9000'], {});
    const [, url] = await command.waitFor(/listening on (http:\/\/127\.0\.0\.1:\d+) .*issuer http:\/\/oidc-issuer:9000\)/);
    const discovery = await fetch(`${url ?? ''}/.well-known/openid-configuration`);

    expect(await discovery.json()).toEqual({
      issuer: 'http://oidc-issuer:9000',
      jwks_uri: 'http://oidc-issuer:9000/.well-known/jwks.json',
    });
    command.child.kill('SIGTERM');
    expect(await command.exited).toBe(0);
  });
});
