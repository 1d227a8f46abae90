import type { Logger } from 'pino';
import type { Config } from '../config/load-config.js';
import { InternalError } from '../errors.js';
import { createAppJwtSource } from '../github/app-jwt.js';
import { createInstallationDirectory, type InstallationDirectory } from '../github/installation-directory.js';
import { createInstallationDiscovery } from '../github/installation-discovery.js';
import { createInstallationTokenMinters, type InstallationTokenMinters } from '../github/installation-tokens.js';
import { createPemSigner, type Rs256Signer } from '../github/rs256-signer.js';
import type { Clock } from '../lib/clock.js';
import { createRateLimitGate } from '../lib/rate-limit-gate.js';
import type { Fetch, Upstream, UpstreamName } from '../lib/upstream.js';
import { regionOfArn, type LoadAwsClients } from './aws-clients.js';

/** The service's GitHub App side: minting on any installation, and which installation serves whom. */
export interface GitHubApp {
  readonly mint: InstallationTokenMinters;
  readonly installations: InstallationDirectory;
}

export interface GitHubAppParts {
  readonly clock: Clock;
  readonly logger: Logger;
  readonly fetch: Fetch;
  readonly upstream: (name: UpstreamName) => Upstream;
  readonly aws: LoadAwsClients;
  /** Told GitHub's `x-ratelimit-remaining` on every App-JWT answer (mints and discovery). */
  readonly onAppRateLimitRemaining: (remaining: number) => void;
}

/**
 * The App JWT (one source for minting and discovery), the minters and the installation
 * directory, which starts learning the default installation's account at once.
 * Asynchronous only to load the KMS client when the App key is held by KMS.
 */
export async function composeGitHubApp(config: Config, parts: GitHubAppParts): Promise<GitHubApp> {
  const { apiUrl } = config.github;
  const appJwt = createAppJwtSource({ appId: config.github.appId, signer: await appSigner(config.github, parts), clock: parts.clock });
  // Mints and discovery are App-JWT calls: they spend one rate limit, the App's.
  const appRateLimit = createRateLimitGate();
  const upstream = parts.upstream('github');
  const client = { apiUrl, appJwt, fetch: parts.fetch, upstream, appRateLimit, onRateLimitRemaining: parts.onAppRateLimitRemaining };
  const installations = createInstallationDirectory({
    defaultInstallationId: config.github.installationId,
    accounts: config.github.organizations ?? [],
    discovery: createInstallationDiscovery(client),
    clock: parts.clock,
    logger: parts.logger,
  });
  return { mint: createInstallationTokenMinters(client), installations };
}

/**
 * The App JWT signer: the KMS key when `GITHUB_APP_PRIVATE_KEY_ARN` is set (the process
 * never sees the key; the key's region comes from its ARN), else the PEM key.
 */
async function appSigner(github: Config['github'], parts: Pick<GitHubAppParts, 'upstream' | 'aws'>): Promise<Rs256Signer> {
  const { privateKeyArn, privateKey } = github;
  if (privateKeyArn !== undefined) {
    // Loaded only here: a service with a PEM key never loads the AWS SDK.
    const [{ createKmsSigner }, aws] = await Promise.all([import('../github/kms-signer.js'), parts.aws()]);
    return createKmsSigner({ client: aws.kms(regionOfArn(privateKeyArn)), keyId: privateKeyArn, upstream: parts.upstream('kms') });
  }
  if (privateKey === undefined) throw new InternalError('configuration holds neither a PEM key nor a KMS key');
  return createPemSigner(privateKey);
}
