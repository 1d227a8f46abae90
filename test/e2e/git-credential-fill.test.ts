import { execFile } from 'node:child_process';
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../support/harness.js';

const run = promisify(execFile);

let h: Harness;
let bridgeUrl: string;
let helperDir: string;
beforeAll(async () => {
  h = await startHarness();
  bridgeUrl = await h.app.listen({ port: 0, host: '127.0.0.1' });
  helperDir = await mkdtemp(join(tmpdir(), 'token-bridge-helper-'));
  // A helper that does what the git-credentials plugin's helper does: read git's input,
  // POST it to the bridge with curl and a bearer token, print the answer.
  const helper = join(helperDir, 'credential-helper');
  await writeFile(
    helper,
    `#!/usr/bin/env bash
set -euo pipefail
url="$1"; action="$2"
[[ "$action" == get ]] || exit 0
args="$(cat)"
curl --silent --show-error --fail --request POST "$url" --data "$args" \\
  --header "Authorization: Bearer $OIDC_TOKEN" --header "Content-Type: text/plain" --header "Accept: text/plain"
`,
  );
  await chmod(helper, 0o755);
});
afterAll(async () => {
  await h.close();
  await rm(helperDir, { recursive: true, force: true });
});

/** `git credential fill` with the helper configured through GIT_CONFIG_*, as the plugin does. */
async function credentialFill(path: string, profileRoute = 'git-credentials') {
  const input = `protocol=https\nhost=github.com\npath=${path}\n\n`;
  const child = run('git', ['credential', 'fill'], {
    env: {
      PATH: process.env.PATH ?? '',
      HOME: helperDir,
      GIT_TERMINAL_PROMPT: '0',
      GIT_ASKPASS: '/bin/false',
      OIDC_TOKEN: await h.token(),
      GIT_CONFIG_NOSYSTEM: '1',
      GIT_CONFIG_COUNT: '3',
      GIT_CONFIG_KEY_0: 'credential.https://github.com.helper',
      GIT_CONFIG_VALUE_0: '',
      GIT_CONFIG_KEY_1: 'credential.https://github.com.usehttppath',
      GIT_CONFIG_VALUE_1: 'true',
      GIT_CONFIG_KEY_2: 'credential.https://github.com.helper',
      GIT_CONFIG_VALUE_2: `${join(helperDir, 'credential-helper')} ${bridgeUrl}/${profileRoute}`,
    },
  });
  child.child.stdin?.end(input);
  return child;
}

describe('git credential fill through the bridge', () => {
  it('gets the pipeline token for the pipeline repository', async () => {
    const { stdout } = await credentialFill('acme/widget.git');

    const token = h.world.github.mints[0]?.token;
    expect(token).toMatch(/^ghs_/);
    expect(stdout).toContain(`username=x-access-token\npassword=${token}\n`);
  });

  it('gets no credentials for another repository, so git falls through and fails without a prompt', async () => {
    await expect(credentialFill('acme/other.git')).rejects.toMatchObject({ code: 128 });
  });
});
