import { boolean, filePath, inGroup, integer, optionalText, secretText } from './env-fields.js';

/**
 * The Token cache and Cache encryption sections: memory or shared Valkey caching, the Valkey
 * connection and its authentication, and the Tink keyset that encrypts stored tokens.
 */
export const cacheEnv = {
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
    CACHE_FAILURE_TTL_SECS: integer(
      'Seconds a failed pipeline lookup (Buildkite refused, failed or timed out; per pipeline) or a mint GitHub refused (422; per installation, repositories and permissions) is remembered: meanwhile the same request gets the same answer without an upstream call. `0` remembers nothing. Concurrent requests always share one call.',
      30,
      { min: 0, max: 600 },
    ),
    PIPELINE_MINT_LIMIT_PER_MINUTE: integer(
      'How many times a minute one pipeline (organization and pipeline slug, any profile) may take the miss path, which asks Buildkite and mints; beyond it the answer is 429 with `Retry-After`. Cache hits are never limited. With `CACHE_TYPE=valkey` the count is the fleet\'s (per instance while Valkey is unreachable). `0` turns the limit off.',
      60,
      { min: 0, max: 100_000 },
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
};
