import { z } from 'zod';
import {
  boolean,
  httpUrl,
  inGroup,
  integer,
  oneOf,
  optionalText,
  requiredId,
  requiredText,
  secretText,
} from './env-fields.js';

const secs = { min: 0, max: 86_400 } as const;
const connections = { min: 1, max: 10_000 } as const;
const filePath = { valueType: 'file path', secret: false } as const;

/**
 * Every environment variable token-bridge knows: Chinmina Bridge's names and defaults, plus
 * token-bridge's own. Each section and description is the configuration reference
 * (`npm run docs:config` writes `docs/configuration.md` from them). This is the only place
 * that names environment variables.
 */
export const envSchema = z.object({
  ...inGroup('Server', {
    SERVER_PORT: integer(
      'TCP port of every route: the vending routes, `/healthcheck`, `/livez`, and `/metrics` unless `METRICS_PORT` is set.',
      8080,
      { min: 0, max: 65_535 },
    ),
    SERVER_SHUTDOWN_TIMEOUT_SECS: integer(
      'Drain deadline. On SIGTERM or SIGINT `/healthcheck` answers 503 at once, no new connection is accepted and in-flight requests get this many seconds to finish; the process then exits 0, or closes what is left and exits 1. Keep it below the orchestrator\'s kill grace period.',
      25,
      secs,
    ),
    SERVER_BASE_PATH: optionalText(
      'Serve every route, health checks included, under this path prefix (e.g. `/bridge`), matched at a segment boundary; other paths answer 404. Surrounding slashes are dropped; an empty segment (`//`) is refused. Audit records show the path without the prefix.',
    ),
    SERVER_OUTGOING_MAX_IDLE_CONNS: integer(
      'Accepted for Chinmina compatibility, with no separate effect: the outbound pool keeps at most `SERVER_OUTGOING_MAX_CONNS_PER_HOST` connections per upstream, idle or busy.',
      100,
      connections,
    ),
    SERVER_OUTGOING_MAX_CONNS_PER_HOST: integer(
      'Connections kept (alive) per upstream origin: GitHub, Buildkite, the OIDC issuer. Further calls queue for a free connection.',
      20,
      connections,
    ),
    SERVER_OUTGOING_TIMEOUT_SECS: integer(
      'Deadline of each upstream call (GitHub, Buildkite, OIDC discovery, AWS KMS and Secrets Manager); a call past it is abandoned and the request answers 504.',
      10,
      { min: 1, max: 300 },
    ),
    SERVER_TRUST_PROXY: boolean(
      'Take the audit `sourceIP` from `X-Forwarded-For` (its first address, without a port) instead of the TCP peer. Only behind a proxy; a client can write its own first entry unless the proxy replaces the header.',
      false,
    ),
    ENV: optionalText(
      '`development`: human-readable logs at debug level. Anything else: JSON logs at info. Audit records are JSON lines either way.',
    ),
  }),

  ...inGroup('Buildkite OIDC', {
    JWT_BUILDKITE_ORGANIZATION_SLUG: requiredText(
      'Buildkite organization whose agents may call: the OIDC token\'s `organization_slug` must equal it. One organization per instance.',
    ),
    JWT_AUDIENCE: optionalText(
      'Audience the OIDC token must carry in `aud`. Set the plugins\' `audience` to the same value: Chinmina recommends `chinmina:<github-org>`, and the plugins default to `chinmina:default`, which matches neither.',
      'app-token-issuer',
    ),
    JWT_ISSUER_URL: optionalText(
      'Issuer of the OIDC tokens: `iss` must equal it exactly, and its discovery document names the signing keys. Keys are refetched hourly, and at most once a minute for an unknown `kid`; the last good keys stay in use while the issuer is down. Change it only for testing.',
      'https://agent.buildkite.com',
    ),
    JWT_JWKS_STATIC: secretText(
      'A fixed JWKS (or single JWK) of RSA public keys, used instead of discovery; for development and tests. The issuer is still checked.',
    ),
    JWT_JWKS_STATIC_FILE: secretText('Path of a file holding `JWT_JWKS_STATIC`.').meta(filePath),
  }),

  ...inGroup('Buildkite API', {
    BUILDKITE_API_TOKEN: secretText(
      'Buildkite REST API token with the `read_pipelines` scope and nothing else (best a bot user\'s): pipeline routes look up the pipeline\'s repository with it when the token is not cached.',
    ).meta({ required: 'yes' }),
    BUILDKITE_API_URL: httpUrl('Buildkite REST API base URL (for tests and egress proxies).', 'https://api.buildkite.com'),
  }),

  ...inGroup('GitHub App', {
    GITHUB_API_URL: httpUrl(
      'GitHub REST API base URL. For GitHub Enterprise Server `https://HOST/api/v3`, which also makes HOST the git host.',
      'https://api.github.com',
    ),
    GITHUB_GIT_HOST: optionalText(
      'Host (and non-default port) whose HTTPS repositories are vended: pipeline repository URLs and git credential requests must name it. Set it only when the git host differs from the API host.',
    ).meta({ defaultText: '`github.com` for `api.github.com`, else the host of `GITHUB_API_URL`' }),
    GITHUB_APP_ID: requiredId('The GitHub App\'s ID (its settings page, "App ID"): the issuer of the App JWTs.'),
    GITHUB_APP_INSTALLATION_ID: requiredId(
      'ID of the App\'s installation on the organization (the last segment of the installation\'s settings URL). Every token is minted from it, so one instance serves one GitHub organization.',
    ),
    GITHUB_APP_PRIVATE_KEY: secretText(
      'The App\'s private key as PEM (PKCS#1 `RSA PRIVATE KEY` or PKCS#8 `PRIVATE KEY`). Prefer the `_FILE` form or a KMS key.',
    ).meta({ required: 'one of this, `GITHUB_APP_PRIVATE_KEY_FILE` or `GITHUB_APP_PRIVATE_KEY_ARN`' }),
    GITHUB_APP_PRIVATE_KEY_FILE: secretText('Path of a file holding `GITHUB_APP_PRIVATE_KEY` (a mounted secret).').meta(filePath),
    GITHUB_APP_PRIVATE_KEY_ARN: optionalText(
      'ARN of the AWS KMS key, or better of its alias, that holds the App key (RSA_2048, `SIGN_VERIFY`): App JWTs are signed with `kms:Sign` and the key never leaves KMS. The region is taken from the ARN. Wins over a PEM key, with a warning.',
    ),
  }),

  ...inGroup('Profiles', {
    GITHUB_ORG_PROFILE: optionalText(
      'Profile file in a GitHub repository as `owner:repo:path` (split at the first two colons), read from the default branch with an installation token, so the App must be installed on that repository with `contents:read`. Not with `PROFILE_FILE`; with neither, only the built-in `default` pipeline profile (`contents:read`) exists.',
    ),
    PROFILE_FILE: optionalText('Profile file on local disk (a mounted volume), instead of `GITHUB_ORG_PROFILE`.'),
    PROFILE_REFRESH_INTERVAL_SECS: integer(
      'Seconds between reloads of the profile file. A reload that fails keeps the last good profiles; until the first load succeeds (retried every 5 s) the instance is not ready.',
      300,
      { min: 1, max: 86_400 },
    ),
  }),

  ...inGroup('Token cache', {
    CACHE_TYPE: optionalText(
      '`memory`: each instance caches its own tokens. `valkey`: the in-process cache in front of a Valkey the fleet shares, where one mint serves every instance. Any other value stops start-up.',
      'memory',
    ),
    CACHE_MIN_TOKEN_LIFETIME_SECS: integer(
      'A cached token is served only while at least this many seconds of its life remain (GitHub tokens live 3600 s), so every answer stays valid this long. Higher means more mints.',
      2700,
      { min: 0, max: 3300 },
    ),
    VALKEY_ADDRESS: optionalText(
      'Valkey endpoint as `host:port` (`[ipv6]:port`): a standalone server or a replication group\'s primary endpoint. Redirections of a cluster-mode server are not followed.',
    ).meta({ required: 'with `CACHE_TYPE=valkey`' }),
    VALKEY_TLS: boolean('Connect to Valkey over TLS (1.2 or later, system trust roots). Forced on with IAM authentication.', true),
    VALKEY_USERNAME: optionalText(
      'AUTH user name. With IAM authentication, the ElastiCache user ID (which must equal its user name).',
    ).meta({ required: 'with `VALKEY_IAM_ENABLED=true`' }),
    VALKEY_PASSWORD: secretText('Static AUTH password; must be unset with IAM authentication.'),
    VALKEY_IAM_ENABLED: boolean(
      'Authenticate to ElastiCache with IAM (`elasticache:Connect`): every new connection gets a fresh SigV4 token signed with the standard AWS credentials, and connections are renewed after 11 hours (ElastiCache ends them at 12).',
      false,
    ),
    VALKEY_IAM_CACHE_NAME: optionalText('The ElastiCache replication group ID, or serverless cache name, the IAM token is for.').meta({
      required: 'with `VALKEY_IAM_ENABLED=true`',
    }),
    VALKEY_IAM_SERVERLESS: boolean('The cache is ElastiCache Serverless (the IAM token then names a serverless cache).', false),
  }),

  ...inGroup('Cache encryption', {
    CACHE_ENCRYPTION_ENABLED: boolean(
      'Encrypt the tokens stored in Valkey with a Tink AES-GCM keyset (needs `CACHE_TYPE=valkey` and one keyset source). The keyset is loaded and self-tested at start-up, which fails if it cannot be, and reloaded every 15 minutes.',
      false,
    ),
    CACHE_ENCRYPTION_KEYSET_URI: optionalText(
      '`aws-secretsmanager://NAME` of a Secrets Manager secret whose string is a Tink encrypted JSON keyset, as `tinkey` writes it with `--master-key-uri`.',
    ).meta({ required: 'with `CACHE_ENCRYPTION_KMS_ENVELOPE_KEY_URI`' }),
    CACHE_ENCRYPTION_KMS_ENVELOPE_KEY_URI: optionalText(
      '`aws-kms://` and the ARN of the KMS key that encrypted that keyset (`kms:Decrypt`).',
    ).meta({ required: 'with `CACHE_ENCRYPTION_KEYSET_URI`' }),
    CACHE_ENCRYPTION_KEYSET_FILE: optionalText(
      'Path of a cleartext Tink JSON keyset; for development only, since the keys sit on disk unencrypted. Not with the AWS pair.',
    ).meta(filePath),
  }),

  ...inGroup('Prometheus metrics', {
    METRICS_ENABLED: boolean('Serve Prometheus metrics at `/metrics` (no authentication, no audit record).', true),
    METRICS_PORT: integer(
      'Serve `/metrics` only on this port, apart from the routes pipelines call; `0` serves it on `SERVER_PORT` beside `/healthcheck`.',
      0,
      { min: 0, max: 65_535 },
    ),
  }),

  // Endpoints, headers and resource attributes come from the standard `OTEL_*` variables.
  ...inGroup('OpenTelemetry', {
    OBSERVE_ENABLED: boolean('Export OpenTelemetry traces (and, with `OBSERVE_METRICS_ENABLED`, metrics).', false),
    OBSERVE_METRICS_ENABLED: boolean('Export OpenTelemetry metrics over OTLP when `OBSERVE_ENABLED` is on.', true),
    OBSERVE_TYPE: oneOf(
      'OpenTelemetry exporter: `grpc` (OTLP/gRPC), `http` (OTLP/HTTP protobuf) or `stdout`. Any other value stops start-up.',
      ['grpc', 'http', 'stdout'],
      'grpc',
    ),
    OBSERVE_SERVICE_NAME: optionalText(
      'OpenTelemetry `service.name` resource attribute; Chinmina\'s default, so existing dashboards keep matching.',
      'chinmina-bridge',
    ),
    OBSERVE_TRACE_BATCH_TIMEOUT_SECS: integer('Seconds spans wait in the batch before export.', 20, { min: 1, max: 3600 }),
    OBSERVE_METRIC_READ_INTERVAL_SECS: integer('Seconds between OTLP metric exports.', 60, { min: 1, max: 3600 }),
    OBSERVE_HTTP_TRANSPORT_ENABLED: boolean('Client spans for outbound HTTP calls (GitHub, Buildkite, OIDC discovery).', true),
    OBSERVE_CONNECTION_TRACE_ENABLED: boolean(
      'Connection events on outbound client spans: whether the connection was reused, when it was established, when the request headers were sent and the response headers arrived.',
      true,
    ),
    OBSERVE_OTEL_LOG_LEVEL: oneOf(
      'Level of the OpenTelemetry SDK\'s own diagnostics in the service log; `none` silences them (a blank value means `info`).',
      ['debug', 'info', 'warn', 'error', 'none'],
      'info',
    ),
  }),

  ...inGroup('Not supported', {
    OBSERVE_PYROSCOPE_ENABLED: boolean(
      'Not supported: Chinmina\'s continuous profiling with Pyroscope. Any of these variables set to other than its default stops start-up.',
      false,
    ),
    OBSERVE_PYROSCOPE_SERVER_ADDRESS: optionalText('Not supported: Pyroscope server address.'),
    OBSERVE_PYROSCOPE_BASIC_AUTH_USER: optionalText('Not supported: Pyroscope basic-auth user.'),
    OBSERVE_PYROSCOPE_BASIC_AUTH_PASSWORD: secretText('Not supported: Pyroscope basic-auth password.'),
    OBSERVE_PYROSCOPE_EXPERIMENT: optionalText('Not supported: Pyroscope `experiment` tag.'),
  }),
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
