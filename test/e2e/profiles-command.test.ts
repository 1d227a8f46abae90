import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCommand } from '../support/child-process.js';

const example = fileURLToPath(new URL('../../profiles.example.yaml', import.meta.url));
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'token-bridge-profiles-'));
  await writeFile(join(dir, 'claims.json'), JSON.stringify({ pipeline_slug: 'maintenance-bot', build_branch: 'master' }));
  await writeFile(join(dir, 'bad.yaml'), 'pipeline:\n  profiles:\n    - name: default\n      permissions: ["contents:read"]\n');
});
afterAll(async () => rm(dir, { recursive: true, force: true }));

describe('token-bridge profiles', () => {
  it('check exits 0 for profiles.example.yaml', async () => {
    const command = runCommand(['profiles', 'check', example], {});

    expect(await command.exited).toBe(0);
    expect(command.stdout()).toContain('every profile is valid');
  });

  it('check exits 1 naming an invalid profile', async () => {
    const command = runCommand(['profiles', 'check', join(dir, 'bad.yaml')], {});

    expect(await command.exited).toBe(1);
    expect(command.stderr()).toContain('pipeline:default: profile name "default" is reserved');
  });

  it('explain exits 0 when the claims match every rule', async () => {
    const command = runCommand(
      ['profiles', 'explain', example, '--profile', 'org:repo-maintainer', '--claims', join(dir, 'claims.json')],
      {},
    );

    expect(await command.exited).toBe(0);
    expect(command.stdout()).toContain('verdict: vended');
  });
});
