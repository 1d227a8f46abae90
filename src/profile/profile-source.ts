/**
 * Where the profile file comes from. `read()` answers the raw text of the whole file;
 * parsing and compiling are the caller's business, so one source serves the refresher,
 * the `profiles` command and tests alike.
 */
export interface ProfileSource {
  /** Names the source in logs and errors, e.g. `file:/etc/profiles.yaml`; never a secret. */
  readonly location: string;
  /** The file's current text. Throws when it cannot be read; never answers a partial file. */
  read(): Promise<string>;
}

/** Reads a file as UTF-8 text; `fs.promises.readFile(path, 'utf8')` in production. */
export type ReadTextFileAsync = (path: string) => Promise<string>;

/**
 * A profile file on the local filesystem (`file:<path>`). Each `read()` reads the file
 * afresh, so an edited file is picked up by the next refresh. Throws whatever `readFile`
 * throws (for example ENOENT).
 */
export function createFileProfileSource(path: string, readFile: ReadTextFileAsync): ProfileSource {
  return {
    location: `file:${path}`,
    read: () => readFile(path),
  };
}
