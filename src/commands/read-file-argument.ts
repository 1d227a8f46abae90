import { readFile } from 'node:fs/promises';
import { UsageError } from './usage-error.js';

/** Why a file named on the command line could not be read, by the system's error code. */
const reasons: Readonly<Record<string, string>> = {
  ENOENT: 'no such file',
  EACCES: 'permission denied',
  EISDIR: 'it is a directory',
  ENOTDIR: 'a part of the path is not a directory',
};

/**
 * Reads a text file named on the command line.
 * @throws {UsageError} naming `name` (the flag, `--claims`, or the argument, `FILE`), the
 * path and why, when it cannot be read.
 */
export async function readFileArgument(path: string, name: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    const code = error instanceof Error && 'code' in error ? String(error.code) : '';
    throw new UsageError(`${name} ${JSON.stringify(path)} cannot be read: ${reasons[code] ?? (code || 'unknown error')}`, {
      cause: error,
    });
  }
}
