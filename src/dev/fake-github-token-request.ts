import type { PermissionLevel } from './fake-github.js';

/** What a client asked GitHub to mint. */
export interface TokenRequest {
  readonly repositories?: readonly string[];
  readonly permissions?: Readonly<Record<string, PermissionLevel>>;
}

/** The request body if it has GitHub's shape, else undefined (GitHub answers 422). */
export function parseTokenRequest(value: unknown): TokenRequest | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const repositories = 'repositories' in value ? value.repositories : undefined;
  const permissions = 'permissions' in value ? value.permissions : undefined;
  const request: { repositories?: string[]; permissions?: Record<string, PermissionLevel> } = {};
  if (repositories !== undefined) {
    if (!Array.isArray(repositories)) return undefined;
    const names: unknown[] = repositories;
    if (!names.every((name): name is string => typeof name === 'string')) return undefined;
    request.repositories = names;
  }
  if (permissions !== undefined) {
    if (typeof permissions !== 'object' || permissions === null || Array.isArray(permissions)) return undefined;
    const entries: [string, unknown][] = Object.entries(permissions);
    if (!entries.every((entry): entry is [string, PermissionLevel] => entry[1] === 'read' || entry[1] === 'write')) {
      return undefined;
    }
    request.permissions = Object.fromEntries(entries);
  }
  return request;
}
