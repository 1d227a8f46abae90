import { createHash } from 'node:crypto';
import type { z } from 'zod';
import { compileOrganizationProfile } from './compile-organization-profile.js';
import { compilePipelineProfile, defaultPipelineProfileName } from './compile-pipeline-profile.js';
import { compileProfileGrant } from './compile-profile-grant.js';
import { parseProfileYaml } from './parse-profile-yaml.js';
import type { OrganizationProfile, PipelineProfile, ProfileGeneration } from './profile.js';
import { profileFileSchema, type ProfileFile } from './profile-file-schema.js';

/** Valid and invalid profile counts per family, for the "profiles updated" log line. */
export interface ProfileFileSummary {
  readonly organization: { readonly valid: number; readonly invalid: number };
  /** `valid` counts the `default` profile, which every generation has. */
  readonly pipeline: { readonly valid: number; readonly invalid: number };
}

/** A compiled profile file, or why the whole file was refused. */
export type ProfileFileResult =
  | { ok: true; generation: ProfileGeneration; warnings: string[]; summary: ProfileFileSummary }
  | { ok: false; problem: string };

const fallbackDefaultPermissions = ['contents:read'];

/**
 * Compiles the profile file's text into one generation. The whole file is refused for
 * invalid YAML, any schema problem (unknown keys anywhere) or invalid
 * `pipeline.defaults.permissions`; otherwise each profile is compiled on its own and an
 * invalid one lands in the generation's invalid map with its reason while the others are
 * served. A name used twice in a section is unavailable (every occurrence invalid). The
 * `default` pipeline profile always exists: `pipeline.defaults.permissions` (else
 * `contents:read`), no match rules. The digest is the lowercase hex SHA-256 of `text`.
 * Never throws.
 */
export function compileProfileFile(text: string): ProfileFileResult {
  const yaml = parseProfileYaml(text);
  if (!yaml.ok) return { ok: false, problem: `profile file parsing failed: ${yaml.problem}` };
  const parsed = profileFileSchema.safeParse(yaml.document ?? {});
  if (!parsed.success) return { ok: false, problem: `profile file parsing failed: ${describeIssues(parsed.error)}` };
  const file = parsed.data;
  const defaultProfile = compileProfileGrant({
    name: defaultPipelineProfileName,
    permissions: file.pipeline?.defaults?.permissions ?? fallbackDefaultPermissions,
    match: [],
  });
  if (!defaultProfile.ok) {
    return { ok: false, problem: `invalid default permissions for pipeline profiles: ${defaultProfile.reason}` };
  }
  const pipeline = compilePipelineSection(file, defaultProfile.profile);
  const organization = compileOrganizationSection(file);
  const generation: ProfileGeneration = {
    digest: createHash('sha256').update(text, 'utf8').digest('hex'),
    pipelineProfiles: pipeline.valid,
    organizationProfiles: organization.valid,
    invalidPipelineProfiles: pipeline.invalid,
    invalidOrganizationProfiles: organization.invalid,
  };
  const summary = {
    organization: { valid: organization.valid.size, invalid: organization.invalid.size },
    pipeline: { valid: pipeline.valid.size, invalid: pipeline.invalid.size },
  };
  return { ok: true, generation, warnings: organization.warnings, summary };
}

interface Section<P> {
  readonly valid: Map<string, P>;
  readonly invalid: Map<string, string>;
}

function compilePipelineSection(file: ProfileFile, defaultProfile: PipelineProfile): Section<PipelineProfile> {
  const configs = file.pipeline?.profiles ?? [];
  const duplicates = duplicateNames(configs);
  const section: Section<PipelineProfile> = {
    valid: new Map([[defaultPipelineProfileName, defaultProfile]]),
    invalid: new Map(),
  };
  for (const config of configs) {
    const result = compilePipelineProfile(config, duplicates);
    if (result.ok) section.valid.set(config.name, result.profile);
    else section.invalid.set(config.name, result.reason);
  }
  return section;
}

interface OrganizationSection extends Section<OrganizationProfile> {
  readonly warnings: string[];
}

function compileOrganizationSection(file: ProfileFile): OrganizationSection {
  const configs = file.organization?.profiles ?? [];
  const duplicates = duplicateNames(configs);
  const section: OrganizationSection = { valid: new Map(), invalid: new Map(), warnings: [] };
  for (const config of configs) {
    const result = compileOrganizationProfile(config, duplicates);
    if (result.ok) {
      section.valid.set(config.name, result.profile);
      section.warnings.push(...result.warnings);
    } else section.invalid.set(config.name, result.reason);
  }
  return section;
}

function duplicateNames(configs: readonly { readonly name: string }[]): Set<string> {
  const seen = new Set<string>();
  const duplicates = new Set<string>();
  for (const { name } of configs) (seen.has(name) ? duplicates : seen).add(name);
  return duplicates;
}

/** The first few issues, each with its path in the file (`organization.profiles.0.name`). */
function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 3)
    .map((issue) => `${issue.path.map(String).join('.') || '(root)'}: ${issue.message}`)
    .join('; ');
}
