import type { KeyObject } from 'node:crypto';
import type { JSONWebKeySet } from 'jose';
import { gitHostForApiUrl } from '../pipeline/repository-url.js';
import { normalizeBasePath } from './base-path.js';
import { parseProfileLocation, type ProfileLocation } from './profile-location.js';
import { envSchema, notSupportedYet, type EnvName, type ParsedEnv } from './env-schema.js';
import { parseRsaPrivateKey, parseStaticJwks } from './key-material.js';
import { resolveSecretFiles, type ReadTextFile } from './secret-files.js';

/** The service configuration, derived from the environment by {@link loadConfig}. */
export type Config = ReturnType<typeof toConfig>;

export type ConfigResult = { ok: true; config: Config } | { ok: false; problems: string[] };

/**
 * Reads the whole configuration from an environment record. Collects every problem
 * (missing or invalid variables, an unparsable key, a feature that has not landed) rather
 * than stopping at the first; no problem quotes a secret value.
 */
export function loadConfig(env: Readonly<Record<string, string | undefined>>, readFile: ReadTextFile): ConfigResult {
  const files = resolveSecretFiles(env, readFile);
  const problems = [...files.problems];
  const secrets = parseSecrets(files.env, problems);
  const parsed = envSchema.safeParse(files.env);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) problems.push(`${issue.path.join('.')}: ${issue.message}`);
    return { ok: false, problems };
  }
  const values = parsed.data;
  problems.push(...unsupportedProblems(values, files.env));
  const basePath = normalizeBasePath(values.SERVER_BASE_PATH);
  if (!basePath.ok) problems.push(`SERVER_BASE_PATH: ${basePath.problem}`);
  const profiles = parseProfileLocation(values.GITHUB_ORG_PROFILE, values.PROFILE_FILE);
  if (!profiles.ok) problems.push(profiles.problem);
  if (!URL.canParse(values.JWT_ISSUER_URL)) problems.push('JWT_ISSUER_URL: must be an absolute URL');

  if (problems.length > 0 || !basePath.ok || !profiles.ok || secrets === undefined) return { ok: false, problems };
  return {
    ok: true,
    config: toConfig(values, { ...secrets, basePath: basePath.basePath, profileLocation: profiles.location }),
  };
}

/**
 * The secrets, read from the raw environment so that their problems are reported even when
 * other variables are wrong. Problems name the variable, never the value.
 */
function parseSecrets(env: Readonly<Record<string, string | undefined>>, problems: string[]) {
  const present = (name: string) => {
    const value = env[name]?.trim();
    return value === undefined || value === '' ? undefined : value;
  };
  const buildkiteApiToken = present('BUILDKITE_API_TOKEN');
  if (buildkiteApiToken === undefined) problems.push('BUILDKITE_API_TOKEN: is required');

  const pem = present('GITHUB_APP_PRIVATE_KEY');
  let privateKey: KeyObject | undefined;
  if (pem === undefined) problems.push('GITHUB_APP_PRIVATE_KEY: is required (or GITHUB_APP_PRIVATE_KEY_FILE)');
  else {
    const key = parseRsaPrivateKey('GITHUB_APP_PRIVATE_KEY', pem);
    if (key.ok) privateKey = key.value;
    else problems.push(key.problem);
  }

  const jwksText = present('JWT_JWKS_STATIC');
  let jwksStatic: JSONWebKeySet | undefined;
  if (jwksText !== undefined) {
    const jwks = parseStaticJwks('JWT_JWKS_STATIC', jwksText);
    if (jwks.ok) jwksStatic = jwks.value;
    else problems.push(jwks.problem);
  }
  if (buildkiteApiToken === undefined || privateKey === undefined) return undefined;
  return { buildkiteApiToken, privateKey, jwksStatic };
}

interface Derived {
  profileLocation: ProfileLocation | undefined;
  basePath: string;
  privateKey: KeyObject;
  jwksStatic: JSONWebKeySet | undefined;
  buildkiteApiToken: string;
}

function toConfig(values: ParsedEnv, derived: Derived) {
  return {
    server: {
      port: values.SERVER_PORT,
      shutdownTimeoutMs: values.SERVER_SHUTDOWN_TIMEOUT_SECS * 1000,
      basePath: derived.basePath,
      trustProxy: values.SERVER_TRUST_PROXY,
      outgoing: {
        maxIdleConnections: values.SERVER_OUTGOING_MAX_IDLE_CONNS,
        maxConnectionsPerHost: values.SERVER_OUTGOING_MAX_CONNS_PER_HOST,
        timeoutMs: values.SERVER_OUTGOING_TIMEOUT_SECS * 1000,
      },
    },
    oidc: {
      issuerUrl: values.JWT_ISSUER_URL,
      audience: values.JWT_AUDIENCE,
      organizationSlug: values.JWT_BUILDKITE_ORGANIZATION_SLUG,
      jwksStatic: derived.jwksStatic,
    },
    buildkite: { apiUrl: values.BUILDKITE_API_URL, apiToken: derived.buildkiteApiToken },
    github: {
      apiUrl: values.GITHUB_API_URL,
      gitHost: values.GITHUB_GIT_HOST || gitHostForApiUrl(values.GITHUB_API_URL),
      appId: values.GITHUB_APP_ID,
      installationId: values.GITHUB_APP_INSTALLATION_ID,
      privateKey: derived.privateKey,
    },
    profiles: {
      location: derived.profileLocation,
      refreshIntervalMs: values.PROFILE_REFRESH_INTERVAL_SECS * 1000,
    },
    cache: { minTokenLifetimeMs: values.CACHE_MIN_TOKEN_LIFETIME_SECS * 1000 },
    logging: { development: values.ENV === 'development' },
  };
}

const defaults = envSchema.parse({
  JWT_BUILDKITE_ORGANIZATION_SLUG: 'x',
  GITHUB_APP_ID: '1',
  GITHUB_APP_INSTALLATION_ID: '1',
});

function unsupportedProblems(values: ParsedEnv, env: Readonly<Record<string, string | undefined>>): string[] {
  const problems: string[] = [];
  if (values.CACHE_TYPE === 'valkey') problems.push('CACHE_TYPE=valkey is not supported yet');
  else if (values.CACHE_TYPE !== 'memory') {
    problems.push(`CACHE_TYPE: invalid cache type "${values.CACHE_TYPE}": must be either "memory" or "valkey"`);
  }
  const changed = (name: EnvName) => env[name] !== undefined && values[name] !== defaults[name];
  for (const name of notSupportedYet.filter(changed)) problems.push(`${name} is not supported yet`);
  return problems;
}
