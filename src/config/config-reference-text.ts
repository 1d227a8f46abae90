import { fileVariables } from './secret-files.js';

/**
 * The fixed prose of `docs/configuration.md`, around the tables `config-reference.ts`
 * renders from the schema: how values are read, the `_FILE` forms, and the variables the
 * AWS and OpenTelemetry SDKs read on their own.
 */

const code = (name: string) => `\`${name}\``;
const fileForms = fileVariables.map((name) => `${code(name)} (${code(`${name}_FILE`)})`).join(' and ');

export const referenceIntro = `# Configuration reference

<!-- Generated from the schema in src/config/env-*.ts by \`npm run docs:config\`. Edit the
schema's descriptions, not this page: a test fails when the two differ. -->

token-bridge is configured by environment variables only: Chinmina Bridge's names and
defaults, plus a few of its own (listed in [Migrating from Chinmina Bridge](migrating-from-chinmina.md)).

How values are read:

- A blank value (empty, or only spaces) counts as unset: the default applies, and a
  required variable left blank is missing. Surrounding whitespace is ignored.
- Booleans take Go's spellings: \`1\`, \`t\`, \`T\`, \`TRUE\`, \`true\`, \`True\` and \`0\`, \`f\`,
  \`F\`, \`FALSE\`, \`false\`, \`False\`. Integers are whole decimal numbers within the range shown.
- At start-up every problem is reported at once, one line per variable, on standard error,
  and the process exits 1. No message quotes the value of a variable marked *secret*.
- Variables token-bridge does not know are ignored.

Operating guidance is in the [operator guide](operator-guide.md).`;

export const fileVariablesSection = `## Secrets in files

${fileForms} may be given as the path of a file instead, such as a mounted Kubernetes or
Docker secret or a file a Vault agent writes:

- The file is read once at start-up and its content trimmed.
- Setting both a variable and its \`_FILE\` form is an error, as are an unreadable file
  (the message names the path and the system error code, such as \`ENOENT\`) and an empty one.
  The content is never quoted.
- No other variable has a \`_FILE\` form: \`VALKEY_PASSWORD_FILE\`, for one, is ignored.`;

export const awsVariablesSection = `## AWS SDK variables

Not token-bridge's own: the AWS SDK for JavaScript reads them wherever token-bridge calls
AWS, that is KMS (App JWT signing with \`GITHUB_APP_PRIVATE_KEY_ARN\`, keyset decryption),
Secrets Manager (the encryption keyset) and ElastiCache (IAM authentication tokens).
Credentials come from the SDK's default chain; token-bridge assumes no role of its own.

| Variable | Use |
|---|---|
| \`AWS_REGION\` | Region of Secrets Manager, of the keyset's KMS key and of ElastiCache IAM tokens (ECS sets it). The App-signing KMS client takes its region from \`GITHUB_APP_PRIVATE_KEY_ARN\` instead. |
| \`AWS_CONTAINER_CREDENTIALS_RELATIVE_URI\`, \`AWS_CONTAINER_CREDENTIALS_FULL_URI\` | Task role on ECS, Pod Identity on EKS; set by the platform. |
| \`AWS_WEB_IDENTITY_TOKEN_FILE\`, \`AWS_ROLE_ARN\` | IAM roles for service accounts on EKS; set by the platform. |
| \`AWS_PROFILE\`, \`AWS_CONFIG_FILE\`, \`AWS_SHARED_CREDENTIALS_FILE\` | Shared configuration files. |
| \`AWS_ACCESS_KEY_ID\`, \`AWS_SECRET_ACCESS_KEY\`, \`AWS_SESSION_TOKEN\` | Static credentials; prefer a role. |
| \`AWS_ENDPOINT_URL\`, \`AWS_ENDPOINT_URL_KMS\`, \`AWS_ENDPOINT_URL_SECRETS_MANAGER\` | Other endpoints, for tests and local stand-ins. |`;

export const otelVariablesSection = `## OpenTelemetry SDK variables

With \`OBSERVE_ENABLED=true\` the OpenTelemetry exporters read the standard \`OTEL_*\`
variables for where and how to export; token-bridge sets none of them. The usual ones:

| Variable | Use |
|---|---|
| \`OTEL_EXPORTER_OTLP_ENDPOINT\` | Collector base URL; by default \`http://localhost:4317\` for \`grpc\` and \`http://localhost:4318\` for \`http\`. |
| \`OTEL_EXPORTER_OTLP_TRACES_ENDPOINT\`, \`OTEL_EXPORTER_OTLP_METRICS_ENDPOINT\` | One signal's URL, when it differs. |
| \`OTEL_EXPORTER_OTLP_HEADERS\` | \`key=value\` pairs, comma-separated, sent with every export (an API key, say). |
| \`OTEL_EXPORTER_OTLP_TIMEOUT\` | Export timeout in milliseconds. |
| \`OTEL_RESOURCE_ATTRIBUTES\` | Extra resource attributes, such as \`deployment.environment=production\`. |

What is exported is described in [Tracing](tracing.md) and [Metrics](metrics.md).`;
