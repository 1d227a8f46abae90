import { parseArgs } from 'node:util';
import { organizationsOf } from '../config/organizations.js';
import { loginProblem } from '../github/account-login.js';
import { checkProfileFile } from '../profile/check-profile-file.js';
import { explainProfile } from '../profile/explain-profile.js';
import type { KnownOwners } from '../profile/known-owners.js';
import { sampleClaims } from '../profile/sample-claims.js';
import { readClaimsFile } from './claims-file.js';
import type { CommandOutput } from './command.js';
import { readFileArgument } from './read-file-argument.js';
import { UsageError } from './usage-error.js';

type Env = Readonly<Record<string, string | undefined>>;

/**
 * `token-bridge profiles check|explain`; returns the exit code. Organization profiles'
 * owners are checked against `GITHUB_ORGANIZATIONS` of `env` and `--default-owner`.
 * @throws {UsageError} naming the subcommand, argument, flag or variable that is missing or wrong.
 */
export async function runProfilesCommand(args: readonly string[], output: CommandOutput, env: Env = {}): Promise<number> {
  const { values, positionals } = parseArgs({
    args: [...args],
    allowPositionals: true,
    options: { profile: { type: 'string' }, claims: { type: 'string' }, 'default-owner': { type: 'string' } },
  });
  const [action, file, extra] = positionals;
  if (action !== 'check' && action !== 'explain') {
    throw new UsageError(
      action === undefined ? 'profiles needs check or explain' : `profiles: unknown subcommand ${JSON.stringify(action)} (check or explain)`,
    );
  }
  if (file === undefined) throw new UsageError(`profiles ${action} needs FILE, the profile file`);
  if (extra !== undefined) throw new UsageError(`profiles ${action} takes one FILE; unexpected ${JSON.stringify(extra)}`);
  const owners = knownOwners(env, values['default-owner']);
  const text = await readFileArgument(file, 'FILE');
  if (action === 'check') {
    const report = checkProfileFile(text, owners);
    (report.ok ? output.stdout : output.stderr)(`${report.lines.join('\n')}\n`);
    return report.ok ? 0 : 1;
  }
  if (values.profile === undefined) throw new UsageError('profiles explain needs --profile REF (org:NAME or pipeline:NAME)');
  if (values.claims === undefined) throw new UsageError('profiles explain needs --claims CLAIMS.json');
  const claims = sampleClaims(await readClaimsFile(values.claims));
  const report = explainProfile(text, values.profile, claims, owners);
  output.stdout(`${report.lines.join('\n')}\n`);
  return report.matched ? 0 : 1;
}

/**
 * The served accounts the service would have with this environment: `GITHUB_ORGANIZATIONS`
 * and `--default-owner` (the service learns the default account from GitHub). Neither
 * given: `undefined`, and owners are not checked.
 */
function knownOwners(env: Env, defaultOwner: string | undefined): KnownOwners | undefined {
  const listed = organizationsOf(env);
  const ownerProblem = defaultOwner === undefined ? undefined : loginProblem(defaultOwner);
  const problems = [...(listed.ok ? [] : listed.problems), ...(ownerProblem === undefined ? [] : [`--default-owner ${ownerProblem}`])];
  if (!listed.ok || problems.length > 0) throw new UsageError(problems.join('; '));
  const logins = listed.organizations.map((entry) => entry.login);
  if (logins.length === 0 && defaultOwner === undefined) return undefined;
  return { listed: logins, ...(defaultOwner !== undefined && { defaultOwner }) };
}
