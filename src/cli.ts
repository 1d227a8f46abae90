#!/usr/bin/env node
import { Writable } from 'node:stream';
import { parseArgs } from 'node:util';
import { pino } from 'pino';
import { runDemoCheck } from './dev/demo-check.js';
import { demoInstructions, demoLogDestination, startDemo } from './dev/demo.js';
import { writeDevAppKey } from './dev/dev-app-key.js';
import { runStandIn, type StandInName } from './dev/run-stand-in.js';
import { StandInUsageError } from './dev/stand-in-usage-error.js';
import { runServe } from './main.js';
import { profilesUsage, runProfilesCommand } from './commands/profiles-command.js';

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

/** The `token-bridge` command. Entry points are the only code that exits the process. */
async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'serve':
      return runServe(process.env);
    case 'demo':
      return demo(rest);
    case 'stand-in':
      return standIn(rest);
    case 'profiles':
      return runProfilesCommand(
        rest,
        { stdout: (text) => process.stdout.write(text), stderr: (text) => process.stderr.write(text) },
        process.env,
      );
    case 'dev-app-key':
      return devAppKey(rest);
    case 'help':
    case '--help':
    case '-h':
      process.stdout.write(usage);
      return 0;
    case undefined:
      process.stderr.write(`token-bridge: missing command\n\n${usage}`);
      return 2;
    default:
      process.stderr.write(`token-bridge: unknown command ${JSON.stringify(command)}\n\n${usage}`);
      return 2;
  }
}

async function demo(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: { check: { type: 'boolean' }, port: { type: 'string' }, profiles: { type: 'string' } },
  });
  const check = values.check === true;
  const audit: string[] = [];
  const auditDestination = check
    ? new Writable({ write: (chunk: Buffer, _encoding, done) => done(void audit.push(chunk.toString().trimEnd())) })
    : pino.destination(1);
  const running = await startDemo({
    port: Number(values.port ?? (check ? 0 : 8080)),
    profileFile: values.profiles,
    auditDestination,
    logDestination: check ? new Writable({ write: (_chunk, _encoding, done) => done() }) : demoLogDestination(),
  });
  if (check) {
    const report = await runDemoCheck(running, () => audit);
    process.stdout.write(`${report.lines.join('\n')}\n`);
    await running.close();
    return report.ok ? 0 : 1;
  }
  process.stdout.write(demoInstructions(running));
  await untilSignal();
  await running.close();
  return 0;
}

async function standIn(args: string[]): Promise<number> {
  const [name, ...flags] = args;
  if (name !== 'oidc-issuer' && name !== 'buildkite' && name !== 'github') {
    process.stderr.write(`token-bridge stand-in: unknown stand-in ${JSON.stringify(name ?? '')}\n\n${usage}`);
    return 2;
  }
  const handle = await runStandIn(name satisfies StandInName, flags, process.env);
  await untilSignal();
  await handle.close();
  return 0;
}

async function devAppKey(args: string[]): Promise<number> {
  const { values } = parseArgs({ args, options: { out: { type: 'string' } }, strict: true });
  if (!values.out) {
    process.stderr.write(`token-bridge: dev-app-key needs --out DIR\n\n${usage}`);
    return 2;
  }
  const key = await writeDevAppKey(values.out);
  // Paths only: the key itself is never printed.
  process.stdout.write(`${key.created ? 'wrote' : 'kept'} ${key.privateKeyPath} and ${key.publicKeyPath}\n`);
  return 0;
}

/** A command line we cannot run (unknown flag, missing value): exit 2, as for an unknown command. */
function isUsageError(error: unknown): boolean {
  if (error instanceof StandInUsageError) return true;
  // node:util's parseArgs throws TypeErrors coded ERR_PARSE_ARGS_UNKNOWN_OPTION and the like.
  return error instanceof TypeError && 'code' in error && String(error.code).startsWith('ERR_PARSE_ARGS_');
}

function untilSignal(): Promise<void> {
  return new Promise((resolve) => {
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
  });
}

const exitCode = await main(process.argv.slice(2)).catch((error: unknown) => {
  process.stderr.write(`token-bridge: ${error instanceof Error ? error.message : String(error)}\n`);
  if (!isUsageError(error)) return 1;
  process.stderr.write('Run token-bridge --help for the commands and their flags.\n');
  return 2;
});
// Pooled keep-alive connections would hold the event loop open; the command is done.
process.exit(exitCode);
