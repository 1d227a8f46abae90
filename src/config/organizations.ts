import { loginKey, loginProblem } from '../github/account-login.js';
import { numericIdPattern } from './env-fields.js';

/** One account of `GITHUB_ORGANIZATIONS`: a login, pinned to an installation or discovered. */
export interface OrganizationEntry {
  readonly login: string;
  /** `login=ID`: never looked up. Absent: discovered when the owner is first needed. */
  readonly installationId?: string;
}

export type OrganizationsResult =
  | { readonly ok: true; readonly organizations: readonly OrganizationEntry[] }
  | { readonly ok: false; readonly problems: readonly string[] };

type EntryResult = { readonly ok: true; readonly entry: OrganizationEntry } | { readonly ok: false; readonly problem: string };

/**
 * Reads `GITHUB_ORGANIZATIONS`: comma-separated entries, each `login` or
 * `login=installationId`, whitespace around entries and around `=` ignored. Every
 * malformed entry is named (by position and as written), and so is an account listed
 * twice (logins compare case-insensitively). A blank value lists nothing.
 */
export function parseOrganizations(value: string): OrganizationsResult {
  if (value.trim() === '') return { ok: true, organizations: [] };
  const problems: string[] = [];
  const organizations: OrganizationEntry[] = [];
  const seen = new Set<string>();
  value.split(',').forEach((raw, index) => {
    const parsed = parseEntry(raw.trim());
    const duplicate = parsed.ok && seen.has(loginKey(parsed.entry.login));
    if (!parsed.ok || duplicate) {
      const problem = parsed.ok ? 'lists an account already listed' : parsed.problem;
      problems.push(`GITHUB_ORGANIZATIONS: entry ${index + 1} ${JSON.stringify(raw.trim())} ${problem}`);
      return;
    }
    seen.add(loginKey(parsed.entry.login));
    organizations.push(parsed.entry);
  });
  return problems.length > 0 ? { ok: false, problems } : { ok: true, organizations };
}

function parseEntry(entry: string): EntryResult {
  if (entry === '') return { ok: false, problem: 'is empty' };
  const parts = entry.split('=').map((part) => part.trim());
  if (parts.length > 2) return { ok: false, problem: "must be login or login=installationId (one '=')" };
  const [login = '', installationId] = parts;
  const problem = loginProblem(login);
  if (problem !== undefined) return { ok: false, problem: `has a login that ${problem}` };
  if (installationId === undefined) return { ok: true, entry: { login } };
  if (!numericIdPattern.test(installationId)) return { ok: false, problem: 'has an installation id that is not a positive whole number' };
  return { ok: true, entry: { login, installationId } };
}

/** `GITHUB_ORGANIZATIONS` of an environment record, for the tools that read it outside the service. */
export function organizationsOf(env: Readonly<Record<string, string | undefined>>): OrganizationsResult {
  return parseOrganizations(env['GITHUB_ORGANIZATIONS'] ?? '');
}
