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
  const ownedBy = (owner: string) => `    - name: ${owner.replace(/\W/g, '')}\n      owner: "${owner}"\n      repositories: [plugin]\n      permissions: ["contents:read"]\n`;
  await writeFile(join(dir, 'owners.yaml'), `organization:\n  profiles:\n${ownedBy('acme-labs')}${ownedBy('evilcorp')}`);
  await writeFile(join(dir, 'bad-owners.yaml'), `organization:\n  profiles:\n${ownedBy('acme labs')}${ownedBy('acme/widget')}`);
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

  it('check exits 1 for an owner with whitespace or a slash', async () => {
    const command = runCommand(['profiles', 'check', join(dir, 'bad-owners.yaml')], {});

    expect(await command.exited).toBe(1);
    expect(command.stderr()).toContain('org:acmelabs: invalid owner "acme labs": must not contain whitespace or control characters');
    expect(command.stderr()).toContain(`org:acmewidget: invalid owner "acme/widget": must not contain '/'`);
  });

  it('check reads GITHUB_ORGANIZATIONS from its environment and exits 1 for an owner nobody serves', async () => {
    const served = runCommand(['profiles', 'check', join(dir, 'owners.yaml'), '--default-owner', 'evilcorp'], { GITHUB_ORGANIZATIONS: 'acme-labs' });
    const refused = runCommand(['profiles', 'check', join(dir, 'owners.yaml'), '--default-owner', 'acme'], { GITHUB_ORGANIZATIONS: 'acme-labs' });

    expect(await served.exited).toBe(0);
    expect(await refused.exited).toBe(1);
    expect(refused.stderr()).toContain('org:evilcorp: unavailable: owner "evilcorp" is not an account this bridge serves');
  });

  it('check exits 2 naming a malformed GITHUB_ORGANIZATIONS', async () => {
    const command = runCommand(['profiles', 'check', join(dir, 'owners.yaml')], { GITHUB_ORGANIZATIONS: 'acme labs' });

    expect(await command.exited).toBe(2);
    expect(command.stderr()).toContain('GITHUB_ORGANIZATIONS: entry 1 "acme labs" has a login that must not contain whitespace');
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
