#!/usr/bin/env node
import { runDevCommand } from './commands/run-dev-command.js';
import { profilesUsage, runProfilesCommand } from './commands/profiles-command.js';
import { isUsageError } from './commands/usage-error.js';
import { runServe } from './main.js';

const usage = `Usage: token-bridge <command> [flags]

Commands:
  serve                       run the service, configured by environment variables
                              (the same as npm start; the container image's default)
  demo [--check] [--port N] [--profiles FILE]
                              run the service against local stand-ins (no accounts needed);
                              --check makes one /token and one /git-credentials request and exits
  stand-in NAME [flags]       run one stand-in alone: oidc-issuer, buildkite or github
                              (flags: --host H --port N; oidc-issuer: --issuer-url URL;
                              buildkite: --api-token T --pipeline ORG/SLUG=REPO_URL;
                              github: --app-id ID --installation-id ID --public-key-file PEM)
  dev-app-key --out DIR       write a throw-away GitHub App key pair into DIR (app-key.pem,
                              app-key.pub.pem) unless one is there; for local fleets only
${profilesUsage}  help, --help, -h            show this text
`;

const output = {
  stdout: (text: string) => void process.stdout.write(text),
  stderr: (text: string) => void process.stderr.write(text),
};

/**
 * The `token-bridge` command. Entry points are the only code that exits the process. The
 * commands that run stand-ins are loaded only when asked for (see {@link runDevCommand}).
 */
async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'serve':
      return runServe(process.env);
    case 'demo':
    case 'stand-in':
    case 'dev-app-key':
      return runDevCommand(command, rest, output);
    case 'profiles':
      return runProfilesCommand(rest, output);
    case 'help':
    case '--help':
    case '-h':
      output.stdout(usage);
      return 0;
    case undefined:
      output.stderr(`token-bridge: missing command\n\n${usage}`);
      return 2;
    default:
      output.stderr(`token-bridge: unknown command ${JSON.stringify(command)}\n\n${usage}`);
      return 2;
  }
}

const exitCode = await main(process.argv.slice(2)).catch((error: unknown) => {
  process.stderr.write(`token-bridge: ${error instanceof Error ? error.message : String(error)}\n`);
  if (!isUsageError(error)) return 1;
  process.stderr.write('Run token-bridge --help for the commands and their flags.\n');
  return 2;
});
// Pooled keep-alive connections would hold the event loop open; the command is done.
process.exit(exitCode);
