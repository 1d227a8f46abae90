import { compileProfileGrant, profileNameProblem } from './compile-profile-grant.js';
import { loginProblem } from '../github/account-login.js';
import { hasWhitespaceOrControl } from '../lib/has-whitespace-or-control.js';
import type { OrganizationProfile, OrganizationRepositories } from './profile.js';
import type { OrganizationProfileConfig } from './profile-file-schema.js';

/** A compiled organization profile with the warnings it earned, or why it is invalid. */
export type OrganizationProfileResult =
  | { ok: true; profile: OrganizationProfile; warnings: string[] }
  | { ok: false; reason: string };

type RepositoriesResult = { ok: true; repositories: OrganizationRepositories } | { ok: false; reason: string };

const allRepositories = '{{all-repositories}}';
const deprecatedAllRepositories = '*';
const callerScopedRepository = '{{caller-scoped-repository}}';
const literals: ReadonlyMap<string, OrganizationRepositories> = new Map([
  [allRepositories, { kind: 'all' }],
  [deprecatedAllRepositories, { kind: 'all' }],
  [callerScopedRepository, { kind: 'caller-scoped' }],
]);

/**
 * Compiles one `organization.profiles` entry. Checks, first failure wins: a name used more
 * than once in the section (`duplicateNames`: every occurrence is invalid), `/` or `:` in
 * the name, an `owner` that is not a GitHub login, repositories, permissions, match rules. Repositories are a single literal
 * (`{{all-repositories}}`, its deprecated alias `*` — which earns a warning —, or
 * `{{caller-scoped-repository}}`) or names without owner, whitespace or control characters.
 * Never throws.
 */
export function compileOrganizationProfile(
  config: OrganizationProfileConfig,
  duplicateNames: ReadonlySet<string>,
): OrganizationProfileResult {
  const { name } = config;
  if (duplicateNames.has(name)) return { ok: false, reason: `duplicate profile name: ${JSON.stringify(name)}` };
  const nameProblem = profileNameProblem(name);
  if (nameProblem !== undefined) return { ok: false, reason: nameProblem };
  const ownerProblem = config.owner === undefined ? undefined : loginProblem(config.owner);
  if (ownerProblem !== undefined) return { ok: false, reason: `invalid owner ${JSON.stringify(config.owner)}: ${ownerProblem}` };
  const repositories = compileRepositories(config.repositories);
  if (!repositories.ok) return repositories;
  const grant = compileProfileGrant(config);
  if (!grant.ok) return grant;
  const warnings = config.repositories.includes(deprecatedAllRepositories)
    ? [`organization profile ${JSON.stringify(name)}: '*' is deprecated, use '${allRepositories}' instead`]
    : [];
  const owner = config.owner === undefined ? {} : { owner: config.owner };
  return { ok: true, profile: { ...grant.profile, repositories: repositories.repositories, ...owner }, warnings };
}

function compileRepositories(entries: readonly string[]): RepositoriesResult {
  if (entries.length === 0) return { ok: false, reason: 'repositories list must be non-empty' };
  for (const entry of entries) {
    const literal = literals.get(entry);
    if (literal === undefined) continue;
    if (entries.length > 1) {
      return { ok: false, reason: `invalid repositories: ${JSON.stringify(entry)} must be the only repository entry` };
    }
    return { ok: true, repositories: literal };
  }
  for (const entry of entries) {
    const problem = repositoryNameProblem(entry);
    if (problem !== undefined) {
      return { ok: false, reason: `invalid repositories: repository ${JSON.stringify(entry)} ${problem}` };
    }
  }
  return { ok: true, repositories: { kind: 'list', names: [...entries] } };
}

/** A static name is the repository alone: GitHub scopes the token to the installation's owner. */
function repositoryNameProblem(entry: string): string | undefined {
  if (entry === '') return 'must not be empty';
  if (entry.includes('/')) return 'must not contain owner prefix';
  if (hasWhitespaceOrControl(entry)) return 'must not contain whitespace or control characters';
  return undefined;
}
