import { existsSync } from 'node:fs';
import type { CommandOutput, DevCommandName } from './command.js';

/**
 * Runs `demo`, `stand-in` or `dev-app-key` from `src/dev/`, loaded only now, by a dynamic
 * import: `serve` and the profile commands never load a stand-in. A build without
 * `dist/dev/` (the production image) answers these commands with exit code 2 and says
 * where they are.
 * @throws {UsageError} from the command, when its command line cannot be run.
 */
export async function runDevCommand(name: DevCommandName, args: readonly string[], output: CommandOutput): Promise<number> {
  // Looked for before importing, so that a dev module failing to load is never taken for
  // one the build left out.
  if (!existsSync(new URL('../dev/dev-commands.js', import.meta.url))) {
    output.stderr(
      `token-bridge: ${name} is not included in this build: the production image leaves out the stand-ins and the demo.\n` +
        'Use the demo image (docker build --target demo) or a source checkout (npm run demo).\n',
    );
    return 2;
  }
  const { devCommands } = await import('../dev/dev-commands.js');
  return devCommands[name](args, output);
}
