import { createPrivateKey, createPublicKey, sign, verify } from 'node:crypto';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCommand } from '../support/child-process.js';

let dir = '';
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'dev-app-key-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function devAppKey(...args: string[]) {
  const command = runCommand(['dev-app-key', ...args], {});
  const code = await command.exited;
  return { code, stdout: command.stdout(), stderr: command.stderr() };
}

describe('token-bridge dev-app-key', () => {
  it('writes a matching key pair into a new directory: the private half 0600, never printed', async () => {
    const out = join(dir, 'keys');
    const { code, stdout, stderr } = await devAppKey('--out', out);

    expect(code).toBe(0);
    expect(stdout).toBe(`wrote ${join(out, 'app-key.pem')} and ${join(out, 'app-key.pub.pem')}\n`);
    expect(stdout + stderr).not.toMatch(/BEGIN/);
    expect((await stat(join(out, 'app-key.pem'))).mode & 0o777).toBe(0o600);
    expect((await stat(join(out, 'app-key.pub.pem'))).mode & 0o777).toBe(0o644);
    const privateKey = createPrivateKey(await readFile(join(out, 'app-key.pem'), 'utf8'));
    const publicKey = createPublicKey(await readFile(join(out, 'app-key.pub.pem'), 'utf8'));
    expect(privateKey.asymmetricKeyType).toBe('rsa');
    expect(privateKey.asymmetricKeyDetails?.modulusLength).toBe(2048);
    const signature = sign('sha256', Buffer.from('app jwt'), privateKey);
    expect(verify('sha256', Buffer.from('app jwt'), publicKey, signature)).toBe(true);
  });

  it('keeps an existing key on a second run and rewrites the public half from it', async () => {
    await devAppKey('--out', dir);
    const privateBefore = await readFile(join(dir, 'app-key.pem'), 'utf8');
    const publicBefore = await readFile(join(dir, 'app-key.pub.pem'), 'utf8');
    await writeFile(join(dir, 'app-key.pub.pem'), 'stale');

    const { code, stdout } = await devAppKey('--out', dir);

    expect(code).toBe(0);
    expect(stdout).toMatch(/^kept /);
    expect(await readFile(join(dir, 'app-key.pem'), 'utf8')).toBe(privateBefore);
    expect(await readFile(join(dir, 'app-key.pub.pem'), 'utf8')).toBe(publicBefore);
  });

  it('fails without quoting a file that is not a key', async () => {
    await writeFile(join(dir, 'app-key.pem'), 'not-a-key-c2VjcmV0');

    const { code, stdout, stderr } = await devAppKey('--out', dir);

    expect(code).toBe(1);
    expect(stdout + stderr).not.toContain('c2VjcmV0');
  });

  it('needs --out (exit 2)', async () => {
    const { code, stderr } = await devAppKey();

    expect(code).toBe(2);
    expect(stderr).toMatch(/--out DIR/);
  });
});
