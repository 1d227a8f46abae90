import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCommand } from '../support/child-process.js';

/** A token as `buildkite-agent oidc request-token` prints it: what --claims must not be given. */
const jwt = 'eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9.eyJwaXBlbGluZV9zbHVnIjoid2lkZ2V0In0.c2lnbmF0dXJl';

const example = fileURLToPath(new URL('../../profiles.example.yaml', import.meta.url));
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'token-bridge-profiles-'));
  await writeFile(join(dir, 'claims.json'), JSON.stringify({ pipeline_slug: 'maintenance-bot', build_branch: 'master' }));
  await writeFile(join(dir, 'token.jwt'), `${jwt}\n`);
  await writeFile(join(dir, 'token.json'), JSON.stringify(jwt));
  await writeFile(join(dir, 'list.json'), '[{"pipeline_slug": "widget"}]');
  await writeFile(join(dir, 'broken.json'), '{"pipeline_slug": ');
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

  describe('refuses a command line it cannot use with exit 2, naming the flag or argument at fault', () => {
    const explain = (...flags: string[]) => ['profiles', 'explain', example, ...flags];

    it.each([
      [['profiles', 'check', 'no-such-profiles.yaml'], /^token-bridge: FILE "no-such-profiles\.yaml" cannot be read: no such file\n/],
      [['profiles', 'check'], /^token-bridge: profiles check needs FILE, the profile file\n/],
      [['profiles', 'check', example, example], /^token-bridge: profiles check takes one FILE; unexpected ".*"\n/],
      [['profiles', 'lint', example], /^token-bridge: profiles: unknown subcommand "lint" \(check or explain\)\n/],
      [explain('--claims', 'claims.json'), /^token-bridge: profiles explain needs --profile REF/],
      [explain('--profile', 'org:repo-maintainer'), /^token-bridge: profiles explain needs --claims CLAIMS\.json\n/],
      [explain('--profile', 'org:repo-maintainer', '--claim', 'x'), /^token-bridge: Unknown option '--claim'/],
    ])('%j', async (args, message) => {
      const command = runCommand(args, {});

      expect(await command.exited).toBe(2);
      expect(command.stdout()).toBe('');
      expect(command.stderr()).toMatch(message);
      expect(command.stderr()).toMatch(/Run token-bridge profiles( check| explain)? --help for its usage/);
    });

    describe('for --claims', () => {
      it.each([
        ['missing.json', 'cannot be read: no such file'],
        ['token.jwt', 'holds a JWT, not its claims: give the token\'s payload (its middle part, base64url-decoded) as a JSON object'],
        ['token.json', 'holds a JWT, not its claims'],
        ['list.json', 'must hold a JSON object of claims, not an array'],
        ['broken.json', 'is not JSON: '],
      ])('%s: says so', async (name, problem) => {
        const path = join(dir, name);
        const command = runCommand(['profiles', 'explain', example, '--profile', 'org:repo-maintainer', '--claims', path], {});

        expect(await command.exited).toBe(2);
        expect(command.stderr()).toContain(`token-bridge: --claims ${JSON.stringify(path)} ${problem}`);
        expect(command.stdout()).toBe('');
      });

      it('never echoes the token it was given', async () => {
        const command = runCommand(['profiles', 'explain', example, '--profile', 'x', '--claims', join(dir, 'token.jwt')], {});

        await command.exited;
        expect(command.stderr()).not.toContain(jwt.split('.')[1]);
      });
    });
  });
});
