/** What `token-bridge --help` prints: every command in one screen. */
export const usage = `Usage: token-bridge <command> [flags]

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
  profiles check FILE [--default-owner LOGIN]
                              validate a profile file: exit 0 when every profile is valid,
                              1 listing each invalid profile with its reason
  profiles explain FILE --profile REF --claims CLAIMS.json [--default-owner LOGIN]
                              show which rules of a profile (org:NAME, pipeline:NAME) the
                              claims (a Buildkite OIDC payload as JSON) match; exit 0 if all do
  help, --help, -h            show this text

demo, stand-in and dev-app-key are for development: the production image leaves them out.
token-bridge COMMAND --help (or help COMMAND) shows one command's usage and flags.
`;

const notInProduction = 'Not included in the production image (docker build --target demo has it).';

const listenFlags = `  --host H                    listen address (default 127.0.0.1)
  --port N                    port (default: any free port)`;

/** Each command's and subcommand's own usage, printed by `token-bridge COMMAND --help`. */
/** How the profile commands learn which accounts the service would serve. */
const ownersHelp = `  --default-owner LOGIN       the account of GITHUB_APP_INSTALLATION_ID (the service learns
                              it from GitHub); with GITHUB_ORGANIZATIONS from the environment,
                              an organization profile whose owner neither names is unavailable
`;

const commandUsage = {
  serve: `Usage: token-bridge serve

Runs the service, configured by environment variables only (docs/configuration.md lists
them); the same as npm start and the container image's default command. A configuration
problem exits 1 naming every missing or invalid variable. SIGTERM or SIGINT drains
in-flight requests and exits 0 (1 when SERVER_SHUTDOWN_TIMEOUT_SECS ran out).
`,
  demo: `Usage: token-bridge demo [--check] [--port N] [--profiles FILE]

Runs the service against local stand-ins for Buildkite's OIDC issuer, the Buildkite API and
the GitHub API (no accounts needed), and prints a curl for /token and a git credential fill
that goes through it. Ctrl-C stops it. ${notInProduction}

  --check                     make one /token and one /git-credentials request, print the
                              answers and audit records, exit 0 only if both worked
  --port N                    the service's port (default 8080; with --check a free one)
  --profiles FILE             serve this profile file instead of the built-in default profile
`,
  'stand-in': `Usage: token-bridge stand-in NAME [flags]

Runs one stand-in alone until Ctrl-C or SIGTERM and prints the URL it listens on.
${notInProduction}

  oidc-issuer                 Buildkite's OIDC issuer: discovery, JWKS, GET /request-token
  buildkite                   the Buildkite API's pipeline lookup
  github                      the GitHub API's installation tokens and repository contents

token-bridge stand-in NAME --help shows its flags.
`,
  'stand-in oidc-issuer': `Usage: token-bridge stand-in oidc-issuer [--host H] [--port N] [--issuer-url URL]

Buildkite's OIDC issuer: discovery, JWKS, and GET /request-token?audience=A, which answers
a signed job token as buildkite-agent oidc request-token would.

${listenFlags}
  --issuer-url URL            the iss of its tokens when callers reach it by another
                              address (a container name); http(s), no trailing slash
`,
  'stand-in buildkite': `Usage: token-bridge stand-in buildkite [--host H] [--port N] [--api-token T] [--pipeline ORG/SLUG=REPO_URL]...

The Buildkite API's pipeline lookup, for the pipelines given.

${listenFlags}
  --api-token T               the only token it accepts (default: env BUILDKITE_API_TOKEN)
  --pipeline ORG/SLUG=URL     a pipeline and its repository URL; repeatable
`,
  'stand-in github': `Usage: token-bridge stand-in github --app-id ID --installation-id ID --public-key-file PEM [flags]

The GitHub API's installation token route (it verifies the App JWT) and contents route.

${listenFlags}
  --app-id ID                 the App whose JWTs it accepts
  --installation-id ID        the installation it mints tokens for
  --public-key-file PEM       the App's public key (a private key PEM works too)
  --path-prefix /api/v3       serve below this prefix, as GitHub Enterprise Server does
  --repository NAME           a repository the installation reaches; repeatable (default: all)
`,
  'dev-app-key': `Usage: token-bridge dev-app-key --out DIR

Writes a throw-away GitHub App key pair into DIR, app-key.pem (mode 0600) and
app-key.pub.pem, unless a private key is there already (then it keeps it and rewrites the
public half). For local fleets only; prints the paths, never the key. ${notInProduction}
`,
  profiles: `Usage: token-bridge profiles check FILE [--default-owner LOGIN]
       token-bridge profiles explain FILE --profile REF --claims CLAIMS.json [--default-owner LOGIN]

Checks a profile file before it is served. token-bridge profiles check --help and
token-bridge profiles explain --help show each.
`,
  'profiles check': `Usage: token-bridge profiles check FILE [--default-owner LOGIN]

Validates the profile file FILE as the service would load it. Exit 0 when every profile is
valid, 1 listing each invalid profile with its reason, 2 when FILE cannot be read.

${ownersHelp}`,
  'profiles explain': `Usage: token-bridge profiles explain FILE --profile REF --claims CLAIMS.json [--default-owner LOGIN]

Shows, rule by rule, whether a job with these claims would get the profile REF of FILE.
Exit 0 when every rule matches, 1 when one does not (or REF is not a valid profile of
FILE), 2 when the command line cannot be used.

  --profile REF               org:NAME or pipeline:NAME (repo:NAME); a bare NAME looks for
                              an organization profile first
  --claims CLAIMS.json        a file holding the claims as a JSON object, e.g.
                              {"pipeline_slug": "widget", "build_branch": "main"}: a Buildkite
                              OIDC token's payload, decoded (not the token itself)
${ownersHelp}`,
} as const satisfies Record<string, string>;

/** A command or subcommand with its own usage, e.g. `stand-in github`. */
export type UsageTopic = keyof typeof commandUsage;

const isTopic = (topic: string): topic is UsageTopic => Object.hasOwn(commandUsage, topic);

/**
 * The most specific topic a command line names: `['stand-in', 'github', '--port', '1']` is
 * `stand-in github`, `['profiles', 'oops']` is `profiles`; undefined for no known command.
 */
export function usageTopicOf(argv: readonly string[]): UsageTopic | undefined {
  const [command = '', subcommand = ''] = argv;
  const specific = `${command} ${subcommand}`;
  if (isTopic(specific)) return specific;
  return isTopic(command) ? command : undefined;
}

/** A topic's usage text. */
export const usageOf = (topic: UsageTopic): string => commandUsage[topic];

/** True when `--help` or `-h` comes among the arguments (before a `--`, after which all are values). */
export function asksForHelp(args: readonly string[]): boolean {
  const end = args.indexOf('--');
  return (end < 0 ? args : args.slice(0, end)).some((arg) => arg === '--help' || arg === '-h');
}
