import { Writable } from 'node:stream';
import { parseArgs } from 'node:util';
import { pino } from 'pino';
import type { CommandOutput, DevCommands } from '../commands/command.js';
import { readFileArgument } from '../commands/read-file-argument.js';
import { runDemoCheck } from './demo-check.js';
import { demoInstructions, demoLogDestination, startDemo } from './demo.js';
import { writeDevAppKey } from './dev-app-key.js';
import { parsePortFlag, runStandIn } from './run-stand-in.js';
import { StandInUsageError } from './stand-in-usage-error.js';

/**
 * The `token-bridge` commands that run stand-ins: `demo`, `stand-in` and `dev-app-key`. The
 * CLI loads this module only through a dynamic import when one of them is asked for, so
 * `serve` never loads a stand-in, and a build without `src/dev/` (the production image)
 * still runs every other command.
 */
export const devCommands: DevCommands = { demo, 'stand-in': standIn, 'dev-app-key': devAppKey };

async function demo(args: readonly string[], output: CommandOutput): Promise<number> {
  const { values } = parseArgs({
    args: [...args],
    options: { check: { type: 'boolean' }, port: { type: 'string' }, profiles: { type: 'string' } },
  });
  const check = values.check === true;
  // Refused here, by flag, rather than as a configuration problem or a demo that never gets ready.
  const port = values.port === undefined ? (check ? 0 : 8080) : parsePortFlag(values.port);
  if (values.profiles !== undefined) await readFileArgument(values.profiles, '--profiles');
  const audit: string[] = [];
  const auditDestination = check
    ? new Writable({ write: (chunk: Buffer, _encoding, done) => done(void audit.push(chunk.toString().trimEnd())) })
    : pino.destination(1);
  const running = await startDemo({
    port,
    // The check reads no metrics and takes no fixed port: /metrics stays beside the routes.
    metricsPort: check ? 0 : 9090,
    profileFile: values.profiles,
    auditDestination,
    logDestination: check ? new Writable({ write: (_chunk, _encoding, done) => done() }) : demoLogDestination(),
  });
  if (check) {
    const report = await runDemoCheck(running, () => audit);
    output.stdout(`${report.lines.join('\n')}\n`);
    await running.close();
    return report.ok ? 0 : 1;
  }
  output.stdout(demoInstructions(running));
  await untilSignal();
  await running.close();
  return 0;
}

async function standIn(args: readonly string[]): Promise<number> {
  const [name, ...flags] = args;
  if (name !== 'oidc-issuer' && name !== 'buildkite' && name !== 'github') {
    throw new StandInUsageError(`stand-in: unknown stand-in ${JSON.stringify(name ?? '')} (oidc-issuer, buildkite or github)`);
  }
  const handle = await runStandIn(name, flags, process.env);
  await untilSignal();
  await handle.close();
  return 0;
}

async function devAppKey(args: readonly string[], output: CommandOutput): Promise<number> {
  const { values } = parseArgs({ args: [...args], options: { out: { type: 'string' } }, strict: true });
  if (!values.out) throw new StandInUsageError('dev-app-key needs --out DIR');
  const key = await writeDevAppKey(values.out);
  // Paths only: the key itself is never printed.
  output.stdout(`${key.created ? 'wrote' : 'kept'} ${key.privateKeyPath} and ${key.publicKeyPath}\n`);
  return 0;
}

/** A long-running command's life: until SIGINT (Ctrl-C) or SIGTERM (`docker stop`). */
function untilSignal(): Promise<void> {
  return new Promise((resolve) => {
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
  });
}
