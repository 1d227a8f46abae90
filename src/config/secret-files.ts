/** Variables that may instead be given as a file path in `<NAME>_FILE` (as Chinmina allows). */
export const fileVariables = ['GITHUB_APP_PRIVATE_KEY', 'JWT_JWKS_STATIC'] as const;

/** Reads a file's text; injected so that tests need no disk. Throws when it cannot. */
export type ReadTextFileSync = (path: string) => string;

type Env = Readonly<Record<string, string | undefined>>;

const isSet = (value: string | undefined): value is string => value !== undefined && value.trim() !== '';

/**
 * Returns the environment with each `<NAME>_FILE` read into `<NAME>` (trimmed), and the
 * problems met: both set, an unreadable file, an empty file. Never echoes file contents.
 */
export function resolveSecretFiles(env: Env, readFile: ReadTextFileSync): { env: Env; problems: string[] } {
  const resolved: Record<string, string | undefined> = { ...env };
  const problems: string[] = [];
  for (const name of fileVariables) {
    const path = env[`${name}_FILE`];
    if (!isSet(path)) continue;
    if (isSet(env[name])) {
      problems.push(`${name} and ${name}_FILE are mutually exclusive`);
      continue;
    }
    let contents: string;
    try {
      contents = readFile(path).trim();
    } catch (error) {
      const reason = error instanceof Error && 'code' in error ? String(error.code) : 'unreadable';
      problems.push(`${name}_FILE: cannot read "${path}" (${reason})`);
      continue;
    }
    if (contents === '') {
      problems.push(`${name}_FILE at "${path}" is empty`);
      continue;
    }
    resolved[name] = contents;
  }
  return { env: resolved, problems };
}
