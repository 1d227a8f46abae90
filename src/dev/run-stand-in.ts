import { createPublicKey, type KeyObject } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { startFakeBuildkite, type FakeBuildkite } from './fake-buildkite.js';
import { startFakeGitHub, type FakeGitHub } from './fake-github.js';
import { startOidcIssuer, type OidcIssuer } from './oidc-issuer.js';
import { StandInUsageError } from './stand-in-usage-error.js';
import type { ListenOptions, StandInHandle } from './start-http-server.js';

/** The stand-ins that can run as their own process. */
export type StandInName = 'oidc-issuer' | 'buildkite' | 'github';

/** Environment variables a stand-in may read (only `BUILDKITE_API_TOKEN` today). */
export type StandInEnv = Readonly<Record<string, string | undefined>>;

const listenFlags = { port: { type: 'string' }, host: { type: 'string' } } as const;

const flagsByName = {
  'oidc-issuer': { ...listenFlags, 'issuer-url': { type: 'string' } },
  buildkite: { ...listenFlags, 'api-token': { type: 'string' }, pipeline: { type: 'string', multiple: true } },
  github: {
    ...listenFlags,
    'app-id': { type: 'string' },
    'installation-id': { type: 'string' },
    'public-key-file': { type: 'string' },
    'path-prefix': { type: 'string' },
    repository: { type: 'string', multiple: true },
  },
} as const satisfies Record<StandInName, ParseArgsConfig['options']>;

/**
 * Starts one stand-in from command-line arguments and prints one line with its URL to
 * stdout. Flags: `--port N`, `--host H`; oidc-issuer: `--issuer-url URL` (the `iss` when
 * callers reach it by another address, e.g. a container name); buildkite: `--api-token T` (or env
 * `BUILDKITE_API_TOKEN`), `--pipeline org/slug=repoUrl` (repeatable); github: `--app-id`,
 * `--installation-id`, `--public-key-file PATH` (public or private key PEM), optional
 * `--path-prefix /api/v3`, `--repository name` (repeatable). The caller keeps the process
 * alive and closes the handle on a signal; this never exits the process.
 * @throws {StandInUsageError} on unknown, missing or malformed arguments.
 */
export function runStandIn(name: 'oidc-issuer', argv: readonly string[], env: StandInEnv): Promise<OidcIssuer>;
export function runStandIn(name: 'buildkite', argv: readonly string[], env: StandInEnv): Promise<FakeBuildkite>;
export function runStandIn(name: 'github', argv: readonly string[], env: StandInEnv): Promise<FakeGitHub>;
export function runStandIn(name: StandInName, argv: readonly string[], env: StandInEnv): Promise<StandInHandle>;
export async function runStandIn(name: StandInName, argv: readonly string[], env: StandInEnv): Promise<StandInHandle> {
  switch (name) {
    case 'oidc-issuer': {
      const { values } = parseFlags(argv, flagsByName[name]);
      const issuerUrl = values['issuer-url'];
      const issuer = await startOidcIssuer({
        ...listenOptions(values),
        ...(issuerUrl === undefined ? {} : { issuerUrl: checkIssuerUrl(issuerUrl) }),
      });
      const named = issuer.issuer === issuer.url ? '' : `, issuer ${issuer.issuer}`;
      process.stdout.write(`oidc-issuer listening on ${issuer.url} (JWKS: ${issuer.jwksUrl}${named})\n`);
      return issuer;
    }
    case 'buildkite': {
      const { values } = parseFlags(argv, flagsByName[name]);
      const apiToken = values['api-token'] ?? env['BUILDKITE_API_TOKEN'];
      if (!apiToken) throw new StandInUsageError('buildkite needs --api-token or BUILDKITE_API_TOKEN');
      const pipelines = Object.fromEntries((values.pipeline ?? []).map(parsePipelineFlag));
      const buildkite = await startFakeBuildkite({ ...listenOptions(values), apiToken, pipelines });
      process.stdout.write(`buildkite listening on ${buildkite.url}\n`);
      return buildkite;
    }
    case 'github': {
      const { values } = parseFlags(argv, flagsByName[name]);
      const appId = required(values['app-id'], '--app-id');
      const installationId = required(values['installation-id'], '--installation-id');
      const publicKey = await readKeyFile(required(values['public-key-file'], '--public-key-file'));
      const github = await startFakeGitHub({
        ...listenOptions(values),
        appId,
        installationId,
        publicKey,
        ...(values['path-prefix'] === undefined ? {} : { pathPrefix: values['path-prefix'] }),
        ...(values.repository === undefined ? {} : { repositories: values.repository }),
      });
      process.stdout.write(`github listening on ${github.apiUrl}\n`);
      return github;
    }
  }
}

function parseFlags<T extends NonNullable<ParseArgsConfig['options']>>(argv: readonly string[], options: T) {
  try {
    return parseArgs({ args: [...argv], options, strict: true, allowPositionals: false });
  } catch (error) {
    // node:util reports unknown flags and missing values as TypeErrors with ERR_PARSE_ARGS_* codes.
    throw new StandInUsageError(error instanceof Error ? error.message : 'invalid arguments', { cause: error });
  }
}

function listenOptions(values: { port?: string | undefined; host?: string | undefined }): ListenOptions {
  const options: { port?: number; host?: string } = {};
  if (values.port !== undefined) options.port = parsePortFlag(values.port);
  if (values.host !== undefined) options.host = values.host;
  return options;
}

/**
 * The value of a `--port` flag: a whole number 0-65535 (0 picks a free port).
 * @throws {StandInUsageError} naming `--port` and the value otherwise.
 */
export function parsePortFlag(value: string): number {
  const port = Number(value);
  if (!/^\d+$/.test(value) || port > 65535) throw new StandInUsageError(`--port must be an integer 0-65535, got "${value}"`);
  return port;
}

/** `org/slug=https://github.com/org/repo.git` → `['org/slug', { repository }]`. */
function parsePipelineFlag(flag: string): [string, { repository: string }] {
  const separator = flag.indexOf('=');
  const key = separator < 0 ? flag : flag.slice(0, separator);
  if (separator < 0 || !/^[^/\s]+\/[^/\s]+$/.test(key)) {
    throw new StandInUsageError(`--pipeline must look like org/slug=repositoryUrl, got "${flag}"`);
  }
  return [key, { repository: flag.slice(separator + 1) }];
}

/** An issuer is an http(s) URL without a trailing slash: `iss` must equal it to the byte. */
function checkIssuerUrl(value: string): string {
  if (!URL.canParse(value) || !/^https?:$/.test(new URL(value).protocol) || value.endsWith('/')) {
    throw new StandInUsageError(`--issuer-url must be an http(s) URL without a trailing slash, got "${value}"`);
  }
  return value;
}

function required(value: string | undefined, flag: string): string {
  if (!value) throw new StandInUsageError(`github needs ${flag}`);
  return value;
}

/** Reads a PEM public key, or a private key PEM whose public half is taken. */
async function readKeyFile(path: string): Promise<KeyObject> {
  try {
    return createPublicKey(await readFile(path, 'utf8'));
  } catch (error) {
    throw new StandInUsageError(`--public-key-file ${path} is not a readable PEM key`, { cause: error });
  }
}
