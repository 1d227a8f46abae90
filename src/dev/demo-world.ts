import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import type { Clock } from '../lib/clock.js';
import { startFakeBuildkite, type FakeBuildkite } from './fake-buildkite.js';
import { startFakeGitHub, type FakeGitHub } from './fake-github.js';
import type { FakeInstallationOptions } from './fake-github-installations.js';
import { startOidcIssuer, type OidcIssuer } from './oidc-issuer.js';
import type { SigningKey } from './signing-keys.js';

/** The stand-ins the demo and the tests run the real service against. */
export interface DemoWorld {
  readonly issuer: OidcIssuer;
  readonly buildkite: FakeBuildkite;
  readonly github: FakeGitHub;
  /** The environment that points token-bridge at the stand-ins. */
  readonly env: Record<string, string>;
  close(): Promise<void>;
}

export interface DemoWorldOptions {
  readonly clock?: Clock;
  /** `/api/v3` makes the GitHub stand-in a GitHub Enterprise Server. */
  readonly githubPathPrefix?: string;
  /** Repositories the GitHub installation reaches; default: every one. */
  readonly repositories?: readonly string[];
  /** Lifetime of the installation tokens the GitHub stand-in mints; default an hour. */
  readonly tokenLifetimeSecs?: number;
  /** Installations on further accounts, besides the second organization's. */
  readonly installations?: readonly FakeInstallationOptions[];
  /** Keys to reuse instead of generating (tests start faster); fresh when omitted. */
  readonly keys?: { readonly appKey: { privateKey: KeyObject; publicKey: KeyObject }; readonly issuerKey: SigningKey };
}

export const demoOrganization = 'acme';
export const demoPipeline = 'widget';
export const demoRepositoryUrl = 'git@github.com:acme/widget.git';
export const demoAudience = 'chinmina:acme';
/** A second GitHub organization with the App installed, and a pipeline building one of its repositories. */
export const demoSecondOrganization = { login: 'acme-labs', installationId: '6789', pipeline: 'launchpad' } as const;
const buildkiteApiToken = 'bkua_demo_token';
const demoPipelines = {
  [`${demoOrganization}/${demoPipeline}`]: { repository: demoRepositoryUrl },
  [`${demoOrganization}/${demoSecondOrganization.pipeline}`]: {
    repository: `https://github.com/${demoSecondOrganization.login}/${demoSecondOrganization.pipeline}.git`,
  },
};

/**
 * Starts a local OIDC issuer, Buildkite API and GitHub API on free loopback ports, with one
 * pipeline (`acme/widget`, an SSH repository URL as Buildkite often holds it) and a fresh
 * GitHub App key, and returns the configuration that points token-bridge at them. The App
 * is also installed on a second organization ({@link demoSecondOrganization}), whose
 * pipeline is refused until `GITHUB_ORGANIZATIONS` names it (the environment does not).
 */
export async function startDemoWorld(options: DemoWorldOptions = {}): Promise<DemoWorld> {
  const clock = options.clock === undefined ? {} : { clock: options.clock };
  const appKey = options.keys?.appKey ?? generateKeyPairSync('rsa', { modulusLength: 2048 });
  const issuer = await startOidcIssuer({ ...clock, ...(options.keys && { signingKey: options.keys.issuerKey }) });
  const buildkite = await startFakeBuildkite({
    apiToken: buildkiteApiToken,
    pipelines: demoPipelines,
  });
  const github = await startFakeGitHub({
    ...clock,
    appId: '1234',
    installationId: '5678',
    account: demoOrganization,
    installations: [{ id: demoSecondOrganization.installationId, account: demoSecondOrganization.login }, ...(options.installations ?? [])],
    publicKey: appKey.publicKey,
    ...(options.githubPathPrefix === undefined ? {} : { pathPrefix: options.githubPathPrefix }),
    ...(options.repositories === undefined ? {} : { repositories: options.repositories }),
    ...(options.tokenLifetimeSecs === undefined ? {} : { tokenLifetimeSecs: options.tokenLifetimeSecs }),
  });
  const env = {
    JWT_BUILDKITE_ORGANIZATION_SLUG: demoOrganization,
    JWT_AUDIENCE: demoAudience,
    JWT_ISSUER_URL: issuer.issuer,
    BUILDKITE_API_URL: buildkite.url,
    BUILDKITE_API_TOKEN: buildkiteApiToken,
    GITHUB_API_URL: github.apiUrl,
    // The stand-in serves the API on loopback; the repositories it vends are github.com's.
    GITHUB_GIT_HOST: 'github.com',
    GITHUB_APP_ID: '1234',
    GITHUB_APP_INSTALLATION_ID: '5678',
    GITHUB_APP_PRIVATE_KEY: appKey.privateKey.export({ type: 'pkcs1', format: 'pem' }).toString(),
  };
  return {
    issuer,
    buildkite,
    github,
    env,
    close: async () => {
      await Promise.all([issuer.close(), buildkite.close(), github.close()]);
    },
  };
}
