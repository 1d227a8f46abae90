import { compileProfileFile } from './compile-profile-file.js';
import type { OrganizationProfile } from './profile.js';

/** What `token-bridge profiles check` prints, and whether the file is wholly valid. */
export interface CheckReport {
  readonly ok: boolean;
  readonly lines: readonly string[];
}

/**
 * Checks a profile file as the service would load it: a file that does not parse fails
 * whole; otherwise every invalid profile is listed with its reason, and the valid ones are
 * summarised. `ok` only when every profile is valid, so a CI step fails on any mistake.
 */
export function checkProfileFile(text: string): CheckReport {
  const compiled = compileProfileFile(text);
  if (!compiled.ok) return { ok: false, lines: [`invalid profile file: ${compiled.problem}`] };
  const { generation, warnings } = compiled;
  const invalid = [
    ...[...generation.invalidOrganizationProfiles].map(([name, reason]) => `  org:${name}: ${reason}`),
    ...[...generation.invalidPipelineProfiles].map(([name, reason]) => `  pipeline:${name}: ${reason}`),
  ];
  const lines = [
    `digest ${generation.digest}`,
    'valid profiles:',
    ...[...generation.organizationProfiles.values()].map(
      (profile) => `  org:${profile.name}  ${repositoriesOf(profile)}  ${profile.permissions.join(',')}`,
    ),
    ...[...generation.pipelineProfiles.values()].map(
      (profile) => `  pipeline:${profile.name}  (pipeline repository)  ${profile.permissions.join(',')}`,
    ),
    ...(warnings.length > 0 ? ['warnings:', ...warnings.map((warning) => `  ${warning}`)] : []),
    ...(invalid.length > 0 ? [`invalid profiles (${invalid.length}):`, ...invalid] : ['every profile is valid']),
  ];
  return { ok: invalid.length === 0, lines };
}

function repositoriesOf(profile: OrganizationProfile): string {
  switch (profile.repositories.kind) {
    case 'all':
      return '{{all-repositories}}';
    case 'caller-scoped':
      return '{{caller-scoped-repository}}';
    case 'list':
      return `[${profile.repositories.names.join(',')}]`;
  }
}
