import { ProfileReferenceInvalidError } from '../errors.js';

/** Which routes a request came through: a pipeline's own repository, or an organization profile. */
export type ProfileFamily = 'pipeline' | 'organization';

/** A well-formed profile reference; whether the name exists is decided later. */
export interface ProfileReference {
  readonly family: ProfileFamily;
  readonly name: string;
}

const prefixOf: Record<ProfileFamily, string> = { pipeline: 'repo', organization: 'org' };

/**
 * Reads the `{profile}` path value of a route of the given family: empty means `default`
 * (pipeline routes only); `type:name` must carry the route's own type (`repo` or `org`)
 * and a name; only the first `:` splits. Throws {@link ProfileReferenceInvalidError} (400).
 */
export function parseProfileReference(value: string, family: ProfileFamily): ProfileReference {
  if (value === '') {
    if (family === 'pipeline') return { family, name: 'default' };
    throw new ProfileReferenceInvalidError(value, 'organization profiles have no default: profile name required');
  }
  const separator = value.indexOf(':');
  if (separator < 0) return { family, name: value };
  const type = value.slice(0, separator);
  const name = value.slice(separator + 1);
  if (type === '' || name === '') {
    throw new ProfileReferenceInvalidError(value, `invalid profile format: expected 'type:name', got '${value}'`);
  }
  if (type !== 'repo' && type !== 'org') {
    throw new ProfileReferenceInvalidError(value, `invalid profile type '${type}': expected 'repo' or 'org'`);
  }
  if (type !== prefixOf[family]) {
    throw new ProfileReferenceInvalidError(value, `profile type mismatch: expected "${prefixOf[family]}" but got "${type}"`);
  }
  return { family, name };
}
