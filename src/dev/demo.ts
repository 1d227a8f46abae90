import { pino, type DestinationStream } from 'pino';
import { loadConfig } from '../config/load-config.js';
import { createLogger } from '../compose/logger.js';
import { startServer, type RunningServer } from '../main.js';
import { demoAudience, demoOrganization, demoPipeline, demoSecondOrganization, startDemoWorld, type DemoWorld } from './demo-world.js';

/** A running demo: the real service and its stand-ins. */
export interface Demo {
  readonly world: DemoWorld;
  readonly server: RunningServer;
  /** A ready-to-paste shell command that fetches an OIDC token from the stand-in issuer. */
  readonly oidcCommand: string;
  close(): Promise<void>;
}

export interface DemoOptions {
  readonly port: number;
  /** `METRICS_PORT`: 9090 as in production, or 0 to serve `/metrics` beside the routes. */
  readonly metricsPort: number;
  /** Where audit lines go; also where the check reads them back from. */
  readonly auditDestination: DestinationStream;
  readonly logDestination: DestinationStream;
  /** A profile file to serve (PROFILE_FILE); the built-in `default` profile only when absent. */
  readonly profileFile?: string | undefined;
}

/** Starts the stand-ins and the real server wired to them through its own configuration loader. */
export async function startDemo(options: DemoOptions): Promise<Demo> {
  const world = await startDemoWorld();
  const profiles = options.profileFile === undefined ? {} : { PROFILE_FILE: options.profileFile };
  // The second organization is served too, its installation discovered when first needed.
  const organizations = { GITHUB_ORGANIZATIONS: demoSecondOrganization.login };
  const loaded = loadConfig({ ...world.env, ...organizations, ...profiles, SERVER_PORT: String(options.port), METRICS_PORT: String(options.metricsPort), ENV: 'development' }, () => {
    throw new Error('the demo reads no files');
  });
  if (!loaded.ok) {
    await world.close();
    throw new Error(`demo configuration invalid: ${loaded.problems.join('; ')}`);
  }
  const server = await startServer(loaded.config, {
    host: '127.0.0.1',
    auditDestination: options.auditDestination,
    logger: createLogger(true, options.logDestination),
  });
  await server.ready;
  return {
    world,
    server,
    oidcCommand: `curl -s "${world.issuer.url}/request-token?audience=${encodeURIComponent(demoAudience)}"`,
    close: async () => {
      await server.shutdown();
      await world.close();
    },
  };
}

/** The instructions the demo prints: a curl for /token and a real `git credential fill`. */
export function demoInstructions(demo: Demo): string {
  const bridge = demo.server.url;
  const second = demoSecondOrganization;
  const helper = `!f() { test "$1" = get || exit 0; curl -sf -X POST --data-binary @- -H "Authorization: Bearer $(${demo.oidcCommand})" ${bridge}/git-credentials; }; f`;
  return [
    `token-bridge demo: the real service on ${bridge}, with local stand-ins for`,
    `  Buildkite's OIDC issuer ${demo.world.issuer.url}`,
    `  the Buildkite API       ${demo.world.buildkite.url} (pipeline ${demoOrganization}/${demoPipeline})`,
    `  the GitHub API          ${demo.world.github.apiUrl}`,
    '',
    'A pipeline token as JSON:',
    `  curl -s -X POST -H "Authorization: Bearer $(${demo.oidcCommand})" ${bridge}/token`,
    '',
    `A token for pipeline ${demoOrganization}/${second.pipeline}, which builds a repository of the second GitHub organization (${second.login}):`,
    `  curl -s -X POST -H "Authorization: Bearer $(${demo.oidcCommand.replace(/"$/, `&pipeline_slug=${second.pipeline}"`)})" ${bridge}/token`,
    '',
    'Git credentials, through git itself:',
    `  printf 'protocol=https\\nhost=github.com\\npath=${demoOrganization}/${demoPipeline}.git\\n\\n' | git -c credential.helper= -c 'credential.helper=${helper}' -c credential.useHttpPath=true credential fill`,
    '',
    ...(demo.server.metricsUrl === undefined ? [] : ['Prometheus metrics, on their own port:', `  curl -s ${demo.server.metricsUrl.replace('0.0.0.0', '127.0.0.1')}/metrics`, '']),
    'Audit records follow as JSON lines. Ctrl-C stops the demo.',
    '',
  ].join('\n');
}

/** The destination for the service's own logs in the demo: stderr, so stdout stays for audit lines. */
export const demoLogDestination = (): DestinationStream => pino.destination(2);
