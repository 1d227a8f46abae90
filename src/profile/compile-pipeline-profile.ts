import { compileProfileGrant, profileNameProblem, type ProfileGrantResult } from './compile-profile-grant.js';
import type { PipelineProfileConfig } from './profile-file-schema.js';

/** The name of the pipeline profile the file's `pipeline.defaults` defines. */
export const defaultPipelineProfileName = 'default';

/**
 * Compiles one `pipeline.profiles` entry. Checks, first failure wins: the reserved name
 * `default`, a name used more than once in the section (`duplicateNames`), `/` or `:` in
 * the name, then permissions and match rules. Never throws.
 */
export function compilePipelineProfile(
  config: PipelineProfileConfig,
  duplicateNames: ReadonlySet<string>,
): ProfileGrantResult {
  const { name } = config;
  if (name === defaultPipelineProfileName) return { ok: false, reason: `profile name "${name}" is reserved` };
  if (duplicateNames.has(name)) return { ok: false, reason: `duplicate profile name: ${JSON.stringify(name)}` };
  const nameProblem = profileNameProblem(name);
  if (nameProblem !== undefined) return { ok: false, reason: nameProblem };
  return compileProfileGrant(config);
}
