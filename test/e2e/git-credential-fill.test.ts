import { execFile } from 'node:child_process';
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { profilesYaml } from '../http/profile-fixture.js';
import { startHarness, type Harness } from '../support/harness.js';

const run = promisify(execFile);

let h: Harness;
let bridgeUrl: string;
let helperDir: string;
let helper: string;
beforeAll(async () => {
  h = await startHarness({ profiles: profilesYaml });
  bridgeUrl = await h.app.listen({ port: 0, host: '127.0.0.1' });
  helperDir = await mkdtemp(join(tmpdir(), 'token-bridge-helper-'));
  // What the git-credentials plugin's helper does: read git's input, POST it with curl and a
  // bearer token to the route for its profile, print the answer for git.
  helper = join(helperDir, 'credential-helper');
  await writeFile(
    helper,
    `#!/usr/bin/env bash
set -euo pipefail
url="$1"; route="$2"; action="$3"
[[ "$action" == get ]] || exit 0
args="$(cat)"
curl --silent --show-error --fail --request POST "$url/$route" --data "$args" \\
  --header "Authorization: Bearer $OIDC_TOKEN" --header "Content-Type: text/plain" --header "Accept: text/plain"
`,
  );
  await chmod(helper, 0o755);
});
afterAll(async () => {
  await h.close();
  await rm(helperDir, { recursive: true, force: true });
});

/** `git credential fill` with one helper per route, configured through GIT_CONFIG_* as the plugin does. */
async function credentialFill(path: string, routes: string[]) {
  const config: Record<string, string> = {
    GIT_CONFIG_KEY_0: 'credential.https://github.com.helper',
    GIT_CONFIG_VALUE_0: '',
    GIT_CONFIG_KEY_1: 'credential.https://github.com.usehttppath',
    GIT_CONFIG_VALUE_1: 'true',
  };
  routes.forEach((route, index) => {
    config[`GIT_CONFIG_KEY_${index + 2}`] = 'credential.https://github.com.helper';
    config[`GIT_CONFIG_VALUE_${index + 2}`] = `${helper} ${bridgeUrl} ${route}`;
  });
  const child = run('git', ['credential', 'fill'], {
    env: {
      PATH: process.env.PATH ?? '',
      HOME: helperDir,
      GIT_TERMINAL_PROMPT: '0',
      GIT_ASKPASS: '/bin/false',
      GIT_CONFIG_NOSYSTEM: '1',
      OIDC_TOKEN: await h.token(),
      GIT_CONFIG_COUNT: String(routes.length + 2),
      ...config,
    },
  });
  child.child.stdin?.end(`protocol=https\nhost=github.com\npath=${path}\n\n`);
  return child;
}

const lastToken = () => h.world.github.mints.at(-1)?.token ?? 'no mint';

describe('git credential fill through the bridge', () => {
  it('gets the pipeline token for the pipeline repository', async () => {
    const { stdout } = await credentialFill('acme/widget.git', ['git-credentials/default']);

    expect(stdout).toContain(`path=acme/widget.git\nusername=x-access-token\npassword=${lastToken()}\n`);
    expect(h.world.github.mints.at(-1)?.repositories).toEqual(['widget']);
  });

  it('falls through from pipeline:default to org:shared for a plugin repository', async () => {
    const { stdout } = await credentialFill('acme/plugin-a.git', ['git-credentials/default', 'organization/git-credentials/shared']);

    expect(stdout).toContain(`path=acme/plugin-a.git\nusername=x-access-token\npassword=${lastToken()}\n`);
    expect(h.world.github.mints.at(-1)?.repositories).toEqual(['plugin-a', 'plugin-b']);
  });

  it('gets no credentials for a repository no profile covers, so git fails without prompting', async () => {
    const before = h.world.github.mints.length;

    await expect(
      credentialFill('acme/secret.git', ['git-credentials/default', 'organization/git-credentials/shared']),
    ).rejects.toMatchObject({ code: 128 });
    expect(h.world.github.mints.length).toBe(before);
  });
});

describe('curl shaped like the token plugin', () => {
  it.each([
    ['token/default', 'repo:default'],
    ['organization/token/shared', 'org:shared'],
  ])('gets a token from %s', async (route, profile) => {
    const { stdout } = await run('curl', [
      '--silent', '--show-error', '--fail', '--request', 'POST', `${bridgeUrl}/${route}`, '--data', '',
      '--header', `Authorization: Bearer ${await h.token()}`,
      '--header', 'Content-Type: text/plain', '--header', 'Accept: application/json',
    ]);

    expect(JSON.parse(stdout)).toMatchObject({ profile, token: expect.stringMatching(/^ghs_/) as unknown });
  });
});
