#!/usr/bin/env node
import { runDevCommand } from './commands/run-dev-command.js';
import { runProfilesCommand } from './commands/profiles-command.js';
import { asksForHelp, usage, usageOf, usageTopicOf } from './commands/usage.js';
import { isUsageError } from './commands/usage-error.js';
import { runServe } from './main.js';

const output = {
  stdout: (text: string) => void process.stdout.write(text),
  stderr: (text: string) => void process.stderr.write(text),
};

/**
 * The `token-bridge` command. Entry points are the only code that exits the process. Any
 * command given `--help` or `-h` prints its usage and starts nothing; the commands that run
 * stand-ins are loaded only when asked for (see {@link runDevCommand}).
 */
async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  const topic = usageTopicOf(argv);
  if (topic !== undefined && asksForHelp(rest)) {
    output.stdout(usageOf(topic));
    return 0;
  }
  switch (command) {
    case 'serve':
      return runServe(process.env);
    case 'demo':
    case 'stand-in':
    case 'dev-app-key':
      return runDevCommand(command, rest, output);
    case 'profiles':
      return runProfilesCommand(rest, output, process.env);
    case 'help':
    case '--help':
    case '-h': {
      const about = usageTopicOf(rest);
      output.stdout(about === undefined ? usage : usageOf(about));
      return 0;
    }
    case undefined:
      output.stderr(`token-bridge: missing command\n\n${usage}`);
      return 2;
    default:
      output.stderr(`token-bridge: unknown command ${JSON.stringify(command)}\n\n${usage}`);
      return 2;
  }
}

/** Where a usage error points: the command's own usage, and the list of every command. */
function helpPointer(argv: readonly string[]): string {
  const topic = usageTopicOf(argv);
  const own = topic === undefined ? '' : `token-bridge ${topic} --help for its usage, `;
  return `Run ${own}token-bridge --help for every command.\n`;
}

const argv = process.argv.slice(2);
const exitCode = await main(argv).catch((error: unknown) => {
  output.stderr(`token-bridge: ${error instanceof Error ? error.message : String(error)}\n`);
  if (!isUsageError(error)) return 1;
  output.stderr(helpPointer(argv));
  return 2;
});
// Pooled keep-alive connections would hold the event loop open; the command is done.
process.exit(exitCode);
