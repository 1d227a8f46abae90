import { toGitHubPermissions, withMetadataRead } from '../github/permissions.js';
import { compileMatchRules } from './match-rules.js';
import type { PipelineProfile } from './profile.js';
import type { MatchRuleConfig } from './profile-file-schema.js';

/** The parts every profile shares, as written in the file. */
export interface ProfileGrantConfig {
  readonly name: string;
  readonly permissions: readonly string[];
  readonly match: readonly MatchRuleConfig[];
}

/** A compiled grant (a pipeline profile is exactly that), or why it is invalid. */
export type ProfileGrantResult = { ok: true; profile: PipelineProfile } | { ok: false; reason: string };

/**
 * The checks every profile ends with, in Chinmina's order: permissions non-empty, every
 * permission valid (all problems reported), match rules valid. The compiled permissions
 * carry `metadata:read`, appended when absent. Never throws.
 */
export function compileProfileGrant(config: ProfileGrantConfig): ProfileGrantResult {
  if (config.permissions.length === 0) return { ok: false, reason: 'permissions list must be non-empty' };
  const permissions = withMetadataRead(config.permissions);
  const github = toGitHubPermissions(permissions);
  if (!github.ok) return { ok: false, reason: `invalid permissions: ${github.problems.join('; ')}` };
  const rules = compileMatchRules(config.match);
  if (!rules.ok) return rules;
  return {
    ok: true,
    profile: { name: config.name, permissions, githubPermissions: github.permissions, match: rules.match },
  };
}

/**
 * Why a profile name is unusable, or `undefined`: `/` and `:` would be read as separators
 * in profile references and URNs.
 */
export function profileNameProblem(name: string): string | undefined {
  return /[/:]/.test(name) ? `profile name ${JSON.stringify(name)} must not contain '/' or ':'` : undefined;
}
