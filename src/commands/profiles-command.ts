import { parseArgs } from 'node:util';
import { checkProfileFile } from '../profile/check-profile-file.js';
import { explainProfile } from '../profile/explain-profile.js';
import { sampleClaims } from '../profile/sample-claims.js';
import { readClaimsFile } from './claims-file.js';
import type { CommandOutput } from './command.js';
import { readFileArgument } from './read-file-argument.js';
import { UsageError } from './usage-error.js';

/**
 * `token-bridge profiles check|explain`; returns the exit code.
 * @throws {UsageError} naming the subcommand, argument or flag that is missing or wrong.
 */
export async function runProfilesCommand(args: readonly string[], output: CommandOutput): Promise<number> {
  const { values, positionals } = parseArgs({
    args: [...args],
    allowPositionals: true,
    options: { profile: { type: 'string' }, claims: { type: 'string' } },
  });
  const [action, file, extra] = positionals;
  if (action !== 'check' && action !== 'explain') {
    throw new UsageError(
      action === undefined ? 'profiles needs check or explain' : `profiles: unknown subcommand ${JSON.stringify(action)} (check or explain)`,
    );
  }
  if (file === undefined) throw new UsageError(`profiles ${action} needs FILE, the profile file`);
  if (extra !== undefined) throw new UsageError(`profiles ${action} takes one FILE; unexpected ${JSON.stringify(extra)}`);
  const text = await readFileArgument(file, 'FILE');
  if (action === 'check') {
    const report = checkProfileFile(text);
    (report.ok ? output.stdout : output.stderr)(`${report.lines.join('\n')}\n`);
    return report.ok ? 0 : 1;
  }
  if (values.profile === undefined) throw new UsageError('profiles explain needs --profile REF (org:NAME or pipeline:NAME)');
  if (values.claims === undefined) throw new UsageError('profiles explain needs --claims CLAIMS.json');
  const claims = sampleClaims(await readClaimsFile(values.claims));
  const report = explainProfile(text, values.profile, claims);
  output.stdout(`${report.lines.join('\n')}\n`);
  return report.matched ? 0 : 1;
}
