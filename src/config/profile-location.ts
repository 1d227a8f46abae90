/** Where the profile file is read from. */
export type ProfileLocation =
  | { readonly kind: 'github'; readonly owner: string; readonly repo: string; readonly path: string }
  | { readonly kind: 'file'; readonly path: string };

export type ProfileLocationResult =
  | { ok: true; location: ProfileLocation | undefined }
  | { ok: false; problem: string };

/**
 * Reads `GITHUB_ORG_PROFILE` (`owner:repo:path`, split on the first two colons so the path
 * may hold more) and `PROFILE_FILE`; at most one of them may be set. Neither: no file, the
 * built-in `default` profile only.
 */
export function parseProfileLocation(githubValue: string, fileValue: string): ProfileLocationResult {
  if (githubValue !== '' && fileValue !== '') {
    return { ok: false, problem: 'GITHUB_ORG_PROFILE and PROFILE_FILE are mutually exclusive' };
  }
  if (fileValue !== '') return { ok: true, location: { kind: 'file', path: fileValue } };
  if (githubValue === '') return { ok: true, location: undefined };
  const first = githubValue.indexOf(':');
  const second = first < 0 ? -1 : githubValue.indexOf(':', first + 1);
  if (second < 0) {
    return {
      ok: false,
      problem: `GITHUB_ORG_PROFILE: invalid profile location format "${githubValue}": expected owner:repo:path`,
    };
  }
  const owner = githubValue.slice(0, first);
  const repo = githubValue.slice(first + 1, second);
  const path = githubValue.slice(second + 1);
  if (owner === '' || repo === '' || path === '') {
    return { ok: false, problem: 'GITHUB_ORG_PROFILE: owner, repo and path are all required' };
  }
  return { ok: true, location: { kind: 'github', owner, repo, path } };
}
