import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { organizationsOf } from '../config/organizations.js';
import { loginProblem } from '../github/account-login.js';
import { checkProfileFile } from '../profile/check-profile-file.js';
import { explainProfile } from '../profile/explain-profile.js';
import type { KnownOwners } from '../profile/known-owners.js';
import { sampleClaims } from '../profile/sample-claims.js';

export const profilesUsage = `  profiles check FILE [--default-owner LOGIN]
                              validate a profile file: exit 0 when every profile is valid,
                              1 listing each invalid profile with its reason; organization
                              profiles' owners are checked against GITHUB_ORGANIZATIONS (from
                              the environment) and the default installation's account LOGIN
  profiles explain FILE --profile REF --claims CLAIMS.json [--default-owner LOGIN]
                              show which rules of a profile (org:NAME, pipeline:NAME) the
                              claims (a Buildkite OIDC payload as JSON) match; exit 0 if all do
`;

interface Output {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

type Env = Readonly<Record<string, string | undefined>>;

type KnownOwnersResult = { ok: true; known: KnownOwners | undefined } | { ok: false; problems: readonly string[] };

/** `token-bridge profiles check|explain`; returns the exit code. */
export async function runProfilesCommand(args: readonly string[], output: Output, env: Env = {}): Promise<number> {
  const { values, positionals } = parseArgs({
    args: [...args],
    allowPositionals: true,
    options: { profile: { type: 'string' }, claims: { type: 'string' }, 'default-owner': { type: 'string' } },
  });
  const [action, file] = positionals;
  if (file === undefined || (action !== 'check' && action !== 'explain')) {
    output.stderr(`usage:\n${profilesUsage}`);
    return 2;
  }
  const owners = knownOwners(env, values['default-owner']);
  if (!owners.ok) {
    output.stderr(`${owners.problems.join('\n')}\n`);
    return 2;
  }
  const text = await readFile(file, 'utf8');
  if (action === 'check') {
    const report = checkProfileFile(text, owners.known);
    (report.ok ? output.stdout : output.stderr)(`${report.lines.join('\n')}\n`);
    return report.ok ? 0 : 1;
  }
  if (values.profile === undefined || values.claims === undefined) {
    output.stderr(`profiles explain needs --profile and --claims\n\nusage:\n${profilesUsage}`);
    return 2;
  }
  const claims = sampleClaims(JSON.parse(await readFile(values.claims, 'utf8')) as unknown);
  const report = explainProfile(text, values.profile, claims, owners.known);
  output.stdout(`${report.lines.join('\n')}\n`);
  return report.matched ? 0 : 1;
}

/**
 * The served accounts the service would have with this environment: `GITHUB_ORGANIZATIONS`
 * and `--default-owner` (the service learns the default account from GitHub). Neither
 * given: `known` is undefined and owners are not checked.
 */
function knownOwners(env: Env, defaultOwner: string | undefined): KnownOwnersResult {
  const listed = organizationsOf(env);
  const ownerProblem = defaultOwner === undefined ? undefined : loginProblem(defaultOwner);
  const problems = [...(listed.ok ? [] : listed.problems), ...(ownerProblem === undefined ? [] : [`--default-owner ${ownerProblem}`])];
  if (!listed.ok || problems.length > 0) return { ok: false, problems };
  const logins = listed.organizations.map((entry) => entry.login);
  if (logins.length === 0 && defaultOwner === undefined) return { ok: true, known: undefined };
  const known: KnownOwners = { listed: logins, ...(defaultOwner !== undefined && { defaultOwner }) };
  return { ok: true, known };
}
