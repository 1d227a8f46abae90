import { compileProfileFile } from './compile-profile-file.js';
import { ownerVerdict, type KnownOwners, type OwnerVerdict } from './known-owners.js';
import type { OrganizationProfile, ProfileGeneration } from './profile.js';

/** What `token-bridge profiles check` prints, and whether the file is wholly valid. */
export interface CheckReport {
  readonly ok: boolean;
  readonly lines: readonly string[];
}

/**
 * Checks a profile file as the service would load it: a file that does not parse fails
 * whole; otherwise every invalid profile is listed with its reason, and the valid ones are
 * summarised. With `owners`, an organization profile whose owner the deployment would not
 * serve is listed as unavailable, with the reason its audit record would give. `ok` only
 * when every profile is valid and available, so a CI step fails on any mistake.
 */
export function checkProfileFile(text: string, owners?: KnownOwners): CheckReport {
  const compiled = compileProfileFile(text);
  if (!compiled.ok) return { ok: false, lines: [`invalid profile file: ${compiled.problem}`] };
  const { generation } = compiled;
  const ownership = checkOwners(generation, owners);
  const warnings = [...compiled.warnings, ...ownership.warnings];
  const invalid = [
    ...[...generation.invalidOrganizationProfiles].map(([name, reason]) => `  org:${name}: ${reason}`),
    ...ownership.unavailable,
    ...[...generation.invalidPipelineProfiles].map(([name, reason]) => `  pipeline:${name}: ${reason}`),
  ];
  const lines = [
    `digest ${generation.digest}`,
    'valid profiles:',
    ...ownership.available.map((profile) => `  org:${profile.name}  ${repositoriesOf(profile)}  ${profile.permissions.join(',')}`),
    ...[...generation.pipelineProfiles.values()].map(
      (profile) => `  pipeline:${profile.name}  (pipeline repository)  ${profile.permissions.join(',')}`,
    ),
    ...(warnings.length > 0 ? ['warnings:', ...warnings.map((warning) => `  ${warning}`)] : []),
    ...(invalid.length > 0 ? [`invalid profiles (${invalid.length}):`, ...invalid] : ['every profile is valid']),
  ];
  return { ok: invalid.length === 0, lines };
}

/** The served-owner check: available profiles, unavailable ones (as invalid lines) and warnings. */
function checkOwners(generation: ProfileGeneration, owners: KnownOwners | undefined) {
  const profiles = [...generation.organizationProfiles.values()];
  const available: OrganizationProfile[] = [];
  const unavailable: string[] = [];
  const warnings: string[] = [];
  if (owners === undefined && profiles.some((profile) => profile.owner !== undefined)) {
    warnings.push('owners are not checked against the served accounts: set GITHUB_ORGANIZATIONS or give --default-owner');
  }
  const served: OwnerVerdict = { kind: 'served' };
  for (const profile of profiles) {
    const verdict = owners === undefined ? served : ownerVerdict(profile, owners);
    if (verdict.kind === 'unavailable') unavailable.push(`  org:${profile.name}: unavailable: ${verdict.reason}`);
    else available.push(profile);
    if (verdict.kind === 'unknown') warnings.push(verdict.warning);
  }
  return { available, unavailable, warnings };
}

function repositoriesOf(profile: OrganizationProfile): string {
  const of = profile.owner === undefined ? '' : ` of ${profile.owner}`;
  switch (profile.repositories.kind) {
    case 'all':
      return `{{all-repositories}}${of}`;
    case 'caller-scoped':
      return `{{caller-scoped-repository}}${of}`;
    case 'list':
      return `[${profile.repositories.names.join(',')}]${of}`;
  }
}
