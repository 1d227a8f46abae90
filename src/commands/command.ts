/** Where a command writes: the process's stdout and stderr, or a test's capture. */
export interface CommandOutput {
  stdout(text: string): void;
  stderr(text: string): void;
}

/**
 * One `token-bridge` subcommand: runs with the arguments after its name and resolves with
 * the exit code. Never exits the process itself; the entry point does.
 * @throws {UsageError} when the command line cannot be run.
 */
export type Command = (args: readonly string[], output: CommandOutput) => Promise<number>;

/** The commands that run stand-ins; they live in `src/dev/`, which production builds leave out. */
export type DevCommandName = 'demo' | 'stand-in' | 'dev-app-key';

/** What `src/dev/dev-commands.ts` provides, one command per name. */
export type DevCommands = Readonly<Record<DevCommandName, Command>>;
