import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { checkProfileFile } from '../profile/check-profile-file.js';
import { explainProfile } from '../profile/explain-profile.js';
import { sampleClaims } from '../profile/sample-claims.js';
import type { CommandOutput } from './command.js';

export const profilesUsage = `  profiles check FILE         validate a profile file: exit 0 when every profile is valid,
                              1 listing each invalid profile with its reason
  profiles explain FILE --profile REF --claims CLAIMS.json
                              show which rules of a profile (org:NAME, pipeline:NAME) the
                              claims (a Buildkite OIDC payload as JSON) match; exit 0 if all do
`;

/** `token-bridge profiles check|explain`; returns the exit code. */
export async function runProfilesCommand(args: readonly string[], output: CommandOutput): Promise<number> {
  const { values, positionals } = parseArgs({
    args: [...args],
    allowPositionals: true,
    options: { profile: { type: 'string' }, claims: { type: 'string' } },
  });
  const [action, file] = positionals;
  if (file === undefined || (action !== 'check' && action !== 'explain')) {
    output.stderr(`usage:\n${profilesUsage}`);
    return 2;
  }
  const text = await readFile(file, 'utf8');
  if (action === 'check') {
    const report = checkProfileFile(text);
    (report.ok ? output.stdout : output.stderr)(`${report.lines.join('\n')}\n`);
    return report.ok ? 0 : 1;
  }
  if (values.profile === undefined || values.claims === undefined) {
    output.stderr(`profiles explain needs --profile and --claims\n\nusage:\n${profilesUsage}`);
    return 2;
  }
  const claims = sampleClaims(JSON.parse(await readFile(values.claims, 'utf8')) as unknown);
  const report = explainProfile(text, values.profile, claims);
  output.stdout(`${report.lines.join('\n')}\n`);
  return report.matched ? 0 : 1;
}
