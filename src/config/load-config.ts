import type { KeyObject } from 'node:crypto';
import type { JSONWebKeySet } from 'jose';
import { gitHostForApiUrl } from '../pipeline/repository-url.js';
import { normalizeBasePath } from './base-path.js';
import { sharedCacheConfig, type SharedCacheConfig } from './cache-config.js';
import { parseOrganizations, type OrganizationEntry } from './organizations.js';
import { parseProfileLocation, type ProfileLocation } from './profile-location.js';
import { envSchema, notSupported, type EnvName, type ParsedEnv } from './env-schema.js';
import { parseRsaPrivateKey, parseStaticJwks } from './key-material.js';
import { observeConfig } from './observe-config.js';
import { resolveSecretFiles, type ReadTextFileSync } from './secret-files.js';

/** The service configuration, derived from the environment by {@link loadConfig}. */
export type Config = ReturnType<typeof toConfig>;

export type ConfigResult = { ok: true; config: Config; warnings: string[] } | { ok: false; problems: string[] };

/**
 * Reads the whole configuration from an environment record. Collects every problem
 * (missing or invalid variables, an unparsable key, a feature that has not landed) rather
 * than stopping at the first; no problem quotes a secret value.
 */
export function loadConfig(env: Readonly<Record<string, string | undefined>>, readFile: ReadTextFileSync): ConfigResult {
  const files = resolveSecretFiles(env, readFile);
  const problems = [...files.problems];
  const secrets = parseSecrets(files.env, problems);
  problems.push(...unsupportedProblems(files.env));
  const parsed = envSchema.safeParse(files.env);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) problems.push(`${issue.path.join('.')}: ${issue.message}`);
    return { ok: false, problems };
  }
  const values = parsed.data;
  const basePath = normalizeBasePath(values.SERVER_BASE_PATH);
  if (!basePath.ok) problems.push(`SERVER_BASE_PATH: ${basePath.problem}`);
  const profiles = parseProfileLocation(values.GITHUB_ORG_PROFILE, values.PROFILE_FILE);
  if (!profiles.ok) problems.push(profiles.problem);
  const organizations = parseOrganizations(values.GITHUB_ORGANIZATIONS);
  if (!organizations.ok) problems.push(...organizations.problems);
  const cache = sharedCacheConfig(values);
  if (!cache.ok) problems.push(...cache.problems);
  if (!URL.canParse(values.JWT_ISSUER_URL)) problems.push('JWT_ISSUER_URL: must be an absolute URL');
  if (values.METRICS_PORT !== 0 && values.METRICS_PORT === values.SERVER_PORT) {
    problems.push('METRICS_PORT: must differ from SERVER_PORT (set another port, or 0 to serve /metrics on the service port)');
  }

  if (problems.length > 0 || !basePath.ok || !profiles.ok || !cache.ok || !organizations.ok || secrets === undefined) {
    return { ok: false, problems };
  }
  const config = toConfig(values, {
    ...secrets,
    basePath: basePath.basePath,
    profileLocation: profiles.location,
    organizations: organizations.organizations,
    sharedCache: cache.shared,
  });
  const warnings: string[] = [];
  if (secrets.privateKeyArn !== undefined && files.env.GITHUB_APP_PRIVATE_KEY?.trim()) {
    warnings.push('GITHUB_APP_PRIVATE_KEY_ARN and GITHUB_APP_PRIVATE_KEY are both set: the KMS key signs, the PEM is ignored');
  }
  if (config.metrics.enabled && config.metrics.port === undefined) {
    warnings.push('METRICS_PORT=0: /metrics, with profile names and per-profile outcomes, is served without authentication on SERVER_PORT');
  }
  return { ok: true, config, warnings };
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

  // As Chinmina: a KMS key, when given, signs; the PEM is then not needed (nor parsed).
  const privateKeyArn = present('GITHUB_APP_PRIVATE_KEY_ARN');
  const pem = privateKeyArn === undefined ? present('GITHUB_APP_PRIVATE_KEY') : undefined;
  let privateKey: KeyObject | undefined;
  if (pem === undefined && privateKeyArn === undefined) {
    problems.push('GITHUB_APP_PRIVATE_KEY: is required (or GITHUB_APP_PRIVATE_KEY_FILE, or GITHUB_APP_PRIVATE_KEY_ARN)');
  } else if (pem !== undefined) {
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
  if (buildkiteApiToken === undefined || (privateKey === undefined && privateKeyArn === undefined)) return undefined;
  return { buildkiteApiToken, privateKey, privateKeyArn, jwksStatic };
}

interface Derived {
  profileLocation: ProfileLocation | undefined;
  organizations: readonly OrganizationEntry[];
  sharedCache: SharedCacheConfig | undefined;
  basePath: string;
  /** Exactly one of the two is set. */
  privateKey: KeyObject | undefined;
  privateKeyArn: string | undefined;
  jwksStatic: JSONWebKeySet | undefined;
  buildkiteApiToken: string;
}

function toConfig(values: ParsedEnv, derived: Derived) {
  return {
    server: {
      port: values.SERVER_PORT,
      shutdownTimeoutMs: values.SERVER_SHUTDOWN_TIMEOUT_SECS * 1000,
      requestBodyTimeoutMs: values.SERVER_REQUEST_BODY_TIMEOUT_SECS * 1000,
      basePath: derived.basePath,
      trustedProxyHops: values.SERVER_TRUST_PROXY,
      outgoing: {
        maxIdleConnections: values.SERVER_OUTGOING_MAX_IDLE_CONNS,
        maxConnectionsPerHost: values.SERVER_OUTGOING_MAX_CONNS_PER_HOST,
        timeoutMs: values.SERVER_OUTGOING_TIMEOUT_SECS * 1000,
        retryBudgetMs: values.SERVER_OUTGOING_RETRY_BUDGET_SECS * 1000,
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
      // Left out when none are listed, so a configuration without them reads as before.
      ...(derived.organizations.length > 0 && { organizations: derived.organizations }),
      privateKey: derived.privateKey,
      privateKeyArn: derived.privateKeyArn,
    },
    profiles: {
      location: derived.profileLocation,
      refreshIntervalMs: values.PROFILE_REFRESH_INTERVAL_SECS * 1000,
    },
    cache: {
      minTokenLifetimeMs: values.CACHE_MIN_TOKEN_LIFETIME_SECS * 1000,
      failureTtlMs: values.CACHE_FAILURE_TTL_SECS * 1000,
      pipelineMintLimitPerMinute: values.PIPELINE_MINT_LIMIT_PER_MINUTE,
      shared: derived.sharedCache,
    },
    logging: { development: values.ENV === 'development' },
    metrics: { enabled: values.METRICS_ENABLED, port: values.METRICS_PORT === 0 ? undefined : values.METRICS_PORT },
    observe: observeConfig(values),
  };
}

const defaults = envSchema.parse({
  JWT_BUILDKITE_ORGANIZATION_SLUG: 'x',
  GITHUB_APP_ID: '1',
  GITHUB_APP_INSTALLATION_ID: '1',
});

/** Each variable is parsed on its own, so these are named even when other variables are invalid. */
function unsupportedProblems(env: Readonly<Record<string, string | undefined>>): string[] {
  const problems: string[] = [];
  const changed = (name: EnvName) => {
    if (env[name] === undefined) return false;
    const parsed = envSchema.shape[name].safeParse(env[name]);
    return !parsed.success || parsed.data !== defaults[name];
  };
  for (const name of notSupported.filter(changed)) {
    problems.push(`${name} is not supported: token-bridge has no Pyroscope profiling; unset the OBSERVE_PYROSCOPE_* variables`);
  }
  return problems;
}
