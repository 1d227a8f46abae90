import { z } from 'zod';
import { boolean, httpUrl, integer, oneOf, optionalText, requiredId, requiredText, secretText } from './env-fields.js';

const secs = { min: 0, max: 86_400 } as const;
const connections = { min: 1, max: 10_000 } as const;

/**
 * Every environment variable token-bridge knows: Chinmina Bridge's names and defaults, plus
 * token-bridge's own. The description of each is the configuration reference. This is the
 * only place that names environment variables.
 */
export const envSchema = z.object({
  // Server
  SERVER_PORT: integer('TCP port the service listens on.', 8080, { min: 0, max: 65_535 }),
  SERVER_SHUTDOWN_TIMEOUT_SECS: integer(
    'Seconds in-flight requests get to finish after SIGTERM/SIGINT; past it the process exits 1.',
    25,
    secs,
  ),
  SERVER_BASE_PATH: optionalText('Path prefix every route is served under (matched at a segment boundary), e.g. `/bridge`.'),
  SERVER_OUTGOING_MAX_IDLE_CONNS: integer(
    'Accepted for Chinmina compatibility; idle connections are bounded per origin by `SERVER_OUTGOING_MAX_CONNS_PER_HOST`.',
    100,
    connections,
  ),
  SERVER_OUTGOING_MAX_CONNS_PER_HOST: integer(
    'Concurrent outbound connections per upstream host; further requests queue.',
    20,
    connections,
  ),
  SERVER_OUTGOING_TIMEOUT_SECS: integer(
    'Seconds an upstream call (GitHub, Buildkite, OIDC discovery) may take before it fails with 504.',
    10,
    { min: 1, max: 300 },
  ),
  SERVER_TRUST_PROXY: boolean(
    'Trust `X-Forwarded-For`: the audit `sourceIP` is the client address a proxy reports.',
    false,
  ),
  ENV: optionalText('`development` gives human-readable debug logs; anything else JSON logs at info.'),

  // Buildkite OIDC
  JWT_BUILDKITE_ORGANIZATION_SLUG: requiredText('Buildkite organization whose OIDC tokens are accepted (`organization_slug`).'),
  JWT_AUDIENCE: optionalText('Audience (`aud`) the OIDC token must carry.', 'app-token-issuer'),
  JWT_ISSUER_URL: optionalText(
    'OIDC issuer; the token `iss` must equal it exactly, and its discovery document gives the keys.',
    'https://agent.buildkite.com',
  ),
  JWT_JWKS_STATIC: secretText('A JWKS (or single JWK) used instead of discovery; for development.'),
  JWT_JWKS_STATIC_FILE: secretText('Path of a file holding `JWT_JWKS_STATIC`.'),

  // Buildkite API
  BUILDKITE_API_TOKEN: secretText('Buildkite REST API token with `read_pipelines` scope.'),
  BUILDKITE_API_URL: httpUrl('Buildkite REST API base URL.', 'https://api.buildkite.com'),

  // GitHub
  GITHUB_API_URL: httpUrl(
    'GitHub REST API base URL; for GitHub Enterprise Server `https://HOST/api/v3`, which also makes HOST the git host.',
    'https://api.github.com',
  ),
  GITHUB_GIT_HOST: optionalText(
    'Git host whose repositories are vended (`/git-credentials` and SSH URLs); default: `github.com` for `api.github.com`, else the API URL\'s host.',
  ),
  GITHUB_APP_ID: requiredId('GitHub App ID (the App JWT issuer).'),
  GITHUB_APP_INSTALLATION_ID: requiredId('Installation of the App whose tokens are vended.'),
  GITHUB_APP_PRIVATE_KEY: secretText('The App private key, PEM (PKCS#1 or PKCS#8).'),
  GITHUB_APP_PRIVATE_KEY_FILE: secretText('Path of a file holding `GITHUB_APP_PRIVATE_KEY`.'),
  GITHUB_APP_PRIVATE_KEY_ARN: optionalText('AWS KMS key or alias ARN that signs the App JWT instead of a PEM key.'),
  GITHUB_ORG_PROFILE: optionalText(
    'Profile file in GitHub, `owner:repo:path` (default branch), read with an installation token.',
  ),
  PROFILE_FILE: optionalText('Profile file on local disk, instead of `GITHUB_ORG_PROFILE`.'),
  PROFILE_REFRESH_INTERVAL_SECS: integer('Seconds between reloads of the profile file.', 300, { min: 1, max: 86_400 }),

  // Cache
  CACHE_TYPE: optionalText('Token cache: `memory` or `valkey` (memory in front of a shared Valkey).', 'memory'),
  CACHE_MIN_TOKEN_LIFETIME_SECS: integer(
    'A cached token is served only while at least this many seconds of its life remain.',
    2700,
    { min: 0, max: 3300 },
  ),
  VALKEY_ADDRESS: optionalText('Valkey `host:port`.'),
  VALKEY_TLS: boolean('Connect to Valkey over TLS.', true),
  VALKEY_USERNAME: optionalText('Valkey username (the IAM user id with IAM auth).'),
  VALKEY_PASSWORD: secretText('Valkey password.'),
  VALKEY_IAM_ENABLED: boolean('Authenticate to ElastiCache with IAM.', false),
  VALKEY_IAM_CACHE_NAME: optionalText('ElastiCache replication group id or serverless cache name.'),
  VALKEY_IAM_SERVERLESS: boolean('The ElastiCache cache is serverless.', false),
  CACHE_ENCRYPTION_ENABLED: boolean('Encrypt cached tokens in Valkey (Tink AES-256-GCM keyset).', false),
  CACHE_ENCRYPTION_KEYSET_URI: optionalText('Encrypted keyset location, `aws-secretsmanager://NAME`.'),
  CACHE_ENCRYPTION_KMS_ENVELOPE_KEY_URI: optionalText('KMS key that encrypts the keyset, `aws-kms://ARN`.'),
  CACHE_ENCRYPTION_KEYSET_FILE: optionalText('Cleartext Tink JSON keyset file (development only).'),

  // Prometheus
  METRICS_ENABLED: boolean('Serve Prometheus metrics at `/metrics` (no authentication, no audit record).', true),
  METRICS_PORT: integer(
    'Serve `/metrics` only on this port, apart from the routes pipelines call; `0` serves it on `SERVER_PORT` beside `/healthcheck`.',
    0,
    { min: 0, max: 65_535 },
  ),

  // OpenTelemetry (endpoints, headers and resource attributes come from the standard `OTEL_*` variables)
  OBSERVE_ENABLED: boolean('Export OpenTelemetry traces (and, with `OBSERVE_METRICS_ENABLED`, metrics).', false),
  OBSERVE_METRICS_ENABLED: boolean('Export OpenTelemetry metrics over OTLP when `OBSERVE_ENABLED` is on.', true),
  OBSERVE_TYPE: oneOf(
    'OpenTelemetry exporter: `grpc` (OTLP/gRPC), `http` (OTLP/HTTP protobuf) or `stdout`.',
    ['grpc', 'http', 'stdout'],
    'grpc',
  ),
  OBSERVE_SERVICE_NAME: optionalText('OpenTelemetry `service.name` resource attribute.', 'chinmina-bridge'),
  OBSERVE_TRACE_BATCH_TIMEOUT_SECS: integer('Seconds spans wait in the batch before export.', 20, { min: 1, max: 3600 }),
  OBSERVE_METRIC_READ_INTERVAL_SECS: integer('Seconds between OTLP metric exports.', 60, { min: 1, max: 3600 }),
  OBSERVE_HTTP_TRANSPORT_ENABLED: boolean('Client spans for outbound HTTP calls (GitHub, Buildkite, OIDC discovery).', true),
  OBSERVE_CONNECTION_TRACE_ENABLED: boolean(
    'Connection timing events (DNS, connect, TLS, first byte) on outbound client spans.',
    true,
  ),
  OBSERVE_OTEL_LOG_LEVEL: oneOf(
    'Level of the OpenTelemetry SDK\'s own diagnostics in the service log: `debug`, `info`, `warn`, `error` or `none`.',
    ['debug', 'info', 'warn', 'error', 'none'],
    'info',
  ),
  OBSERVE_PYROSCOPE_ENABLED: boolean('Not supported: continuous profiling with Pyroscope (start-up fails when set true).', false),
  OBSERVE_PYROSCOPE_SERVER_ADDRESS: optionalText('Not supported: Pyroscope server address.'),
  OBSERVE_PYROSCOPE_BASIC_AUTH_USER: optionalText('Not supported: Pyroscope basic-auth user.'),
  OBSERVE_PYROSCOPE_BASIC_AUTH_PASSWORD: secretText('Not supported: Pyroscope basic-auth password.'),
  OBSERVE_PYROSCOPE_EXPERIMENT: optionalText('Not supported: Pyroscope `experiment` tag.'),
});

/** The environment after parsing: every variable present, with its default applied. */
export type ParsedEnv = z.output<typeof envSchema>;

/** A variable's name. */
export type EnvName = keyof ParsedEnv;

/**
 * Chinmina variables for a feature token-bridge does not have (Pyroscope profiling): a value
 * other than the default stops start-up with "not supported", so nothing is silently ignored.
 */
export const notSupported: readonly EnvName[] = [
  'OBSERVE_PYROSCOPE_ENABLED',
  'OBSERVE_PYROSCOPE_SERVER_ADDRESS',
  'OBSERVE_PYROSCOPE_BASIC_AUTH_USER',
  'OBSERVE_PYROSCOPE_BASIC_AUTH_PASSWORD',
  'OBSERVE_PYROSCOPE_EXPERIMENT',
];
