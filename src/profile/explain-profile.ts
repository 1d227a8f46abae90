import { ClaimInvalidError } from '../errors.js';
import type { BuildkiteClaims } from '../oidc/buildkite-claims.js';
import { compileProfileFile } from './compile-profile-file.js';
import { ownerVerdict, type KnownOwners } from './known-owners.js';
import { compileMatchRules } from './match-rules.js';
import { parseProfileYaml } from './parse-profile-yaml.js';
import { profileFileSchema, type MatchRuleConfig } from './profile-file-schema.js';

/** What `token-bridge profiles explain` prints, and whether the claims would get the profile. */
export interface ExplainReport {
  readonly matched: boolean;
  readonly lines: readonly string[];
}

/**
 * Explains one profile against sample claims: each rule with the claim's value and whether
 * it matched (or why the value is refused), then the verdict. `reference` is
 * `org:NAME`, `pipeline:NAME` (or `repo:NAME`), or a bare name (organization first). With
 * `owners`, an organization profile whose owner would not be served is unavailable.
 */
export function explainProfile(text: string, reference: string, claims: BuildkiteClaims, owners?: KnownOwners): ExplainReport {
  const compiled = compileProfileFile(text);
  if (!compiled.ok) return { matched: false, lines: [`invalid profile file: ${compiled.problem}`] };
  const { generation } = compiled;
  const [family, name] = splitReference(reference, (n) => generation.organizationProfiles.has(n) || generation.invalidOrganizationProfiles.has(n));
  const invalidReason = (family === 'org' ? generation.invalidOrganizationProfiles : generation.invalidPipelineProfiles).get(name);
  if (invalidReason !== undefined) return { matched: false, lines: [`${family}:${name} is invalid: ${invalidReason}`] };
  const exists = family === 'org' ? generation.organizationProfiles.has(name) : generation.pipelineProfiles.has(name);
  if (!exists) return { matched: false, lines: [`${family}:${name}: profile not found`] };
  const profile = family === 'org' ? generation.organizationProfiles.get(name) : undefined;
  const verdict = profile === undefined || owners === undefined ? undefined : ownerVerdict(profile, owners);
  if (verdict?.kind === 'unavailable') return { matched: false, lines: [`${family}:${name} is unavailable: ${verdict.reason}`] };

  const rules = rulesOf(text, family, name);
  const lines = [
    `${family}:${name}`,
    ...(profile?.owner === undefined ? [] : [`  owner    ${profile.owner}`]),
    ...(verdict?.kind === 'unknown' ? [`  warning  ${verdict.warning}`] : []),
    ...(rules.length === 0 ? ['  no rules: every pipeline matches'] : []),
  ];
  let matched = true;
  for (const rule of rules) {
    const outcome = explainRule(rule, claims);
    matched &&= outcome.matched;
    lines.push(`  ${outcome.matched ? 'match   ' : 'NO MATCH'} ${outcome.text}`);
  }
  lines.push(matched ? 'verdict: vended' : 'verdict: denied (403 Forbidden)');
  return { matched, lines };
}

function splitReference(reference: string, isOrganization: (name: string) => boolean): ['org' | 'pipeline', string] {
  const separator = reference.indexOf(':');
  const prefix = separator < 0 ? '' : reference.slice(0, separator);
  const name = separator < 0 ? reference : reference.slice(separator + 1);
  if (prefix === 'org') return ['org', name];
  if (prefix === 'pipeline' || prefix === 'repo') return ['pipeline', name];
  return [isOrganization(name) ? 'org' : 'pipeline', name];
}

/** The rules as written (the first profile of that name: a duplicate is invalid anyway). */
function rulesOf(text: string, family: 'org' | 'pipeline', name: string): readonly MatchRuleConfig[] {
  const yaml = parseProfileYaml(text);
  const file = yaml.ok ? profileFileSchema.safeParse(yaml.document ?? {}) : undefined;
  if (file?.success !== true) return [];
  const profiles = family === 'org' ? file.data.organization?.profiles : file.data.pipeline?.profiles;
  return profiles?.find((profile) => profile.name === name)?.match ?? [];
}

function explainRule(rule: MatchRuleConfig, claims: BuildkiteClaims): { matched: boolean; text: string } {
  const expected = rule.value ? `value ${JSON.stringify(rule.value)}` : `valuePattern ${JSON.stringify(rule.valuePattern ?? '')}`;
  const compiled = compileMatchRules([rule]);
  if (!compiled.ok) return { matched: false, text: compiled.reason };
  try {
    const result = compiled.match(claims);
    const value = result.matched ? (result.matches[0]?.value ?? '') : result.attempted.value;
    return { matched: result.matched, text: `${rule.claim} = ${JSON.stringify(value)} against ${expected}` };
  } catch (error) {
    if (!(error instanceof ClaimInvalidError)) throw error;
    return { matched: false, text: `${rule.claim} refused: ${error.reason}` };
  }
}
