import { generateKeyPairSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { loadConfig, type Config } from '../../src/config/load-config.js';
import { createLogger } from '../../src/compose/logger.js';
import { buildService, type Service } from '../../src/deps.js';
import { demoAudience, startDemoWorld, type DemoWorld, type DemoWorldOptions } from '../../src/dev/demo-world.js';
import type { ClaimOverrides } from '../../src/dev/issued-claims.js';
import type { SignTokenOptions } from '../../src/dev/oidc-issuer.js';
import { generateSigningKey } from '../../src/dev/signing-keys.js';
import type { Clock } from '../../src/lib/clock.js';
import { createReadiness, type Readiness } from '../../src/lifecycle/readiness.js';
import type { Telemetry } from '../../src/telemetry/start-telemetry.js';
import { captureLines, type CapturedLines } from './capture-stream.js';

/** The real application wired to the stand-ins, with its audit and log lines captured. */
export interface Harness {
  readonly app: FastifyInstance;
  /**
   * The application serving `/metrics`: the metrics listener's (`METRICS_PORT`, the
   * default), or `app` itself with `METRICS_PORT=0`. Neither listens; inject into it.
   */
  readonly metrics: FastifyInstance;
  readonly world: DemoWorld;
  readonly config: Config;
  readonly audit: CapturedLines;
  readonly logs: CapturedLines;
  readonly readiness: Readiness;
  /** The built service: its profile loading, observed state and background work. */
  readonly background: Service;
  /** Rewrites the profile file (only with the `profiles` option). */
  writeProfiles(text: string): Promise<void>;
  /** A real RS256 OIDC token from the stand-in issuer, for the configured audience. */
  token(claims?: ClaimOverrides, options?: SignTokenOptions): Promise<string>;
  close(): Promise<void>;
}

export interface HarnessOptions {
  /** Environment on top of the one pointing at the stand-ins. */
  readonly env?: Record<string, string>;
  readonly world?: DemoWorldOptions;
  readonly clock?: Clock;
  /** Leave the instance `starting`. */
  readonly notReady?: boolean;
  /** A profile file's text: served through PROFILE_FILE, refreshed every second. */
  readonly profiles?: string;
  /** A profile file's text in the GitHub stand-in: served through GITHUB_ORG_PROFILE. */
  readonly githubProfiles?: string;
  /** Another harness's stand-ins: a second instance of the same fleet (not closed by this one). */
  readonly sharedWorld?: DemoWorld;
  /** A started telemetry (see `startTelemetry`): its spans and OTLP metrics; the caller shuts it down. */
  readonly telemetry?: Telemetry;
}

/** Configuration from a real environment record, or a thrown list of the problems. */
export function configFrom(env: Record<string, string>): Config {
  const loaded = loadConfig(env, (path) => readFileSync(path, 'utf8'));
  if (!loaded.ok) throw new Error(`test configuration invalid: ${loaded.problems.join('; ')}`);
  return loaded.config;
}

/** Keys are generated once per test file: RSA key generation dominates start-up otherwise. */
let sharedKeys: Promise<NonNullable<DemoWorldOptions['keys']>> | undefined;
function testKeys() {
  sharedKeys ??= generateSigningKey('dev-key-1').then((issuerKey) => ({
    issuerKey,
    appKey: generateKeyPairSync('rsa', { modulusLength: 2048 }),
  }));
  return sharedKeys;
}

/** The App key pair the stand-in GitHub trusts (for a KMS stand-in to hold). */
export async function testAppKey() {
  return (await testKeys()).appKey;
}

export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  const clockOption = options.clock === undefined ? {} : { clock: options.clock };
  const world = options.sharedWorld ?? (await startDemoWorld({ ...clockOption, keys: await testKeys(), ...options.world }));
  const profileDir = await mkdtemp(join(tmpdir(), 'token-bridge-profiles-'));
  const profilePath = join(profileDir, 'profiles.yaml');
  const profileEnv: Record<string, string> = {};
  if (options.profiles !== undefined) {
    await writeFile(profilePath, options.profiles);
    Object.assign(profileEnv, { PROFILE_FILE: profilePath, PROFILE_REFRESH_INTERVAL_SECS: '1' });
  }
  if (options.githubProfiles !== undefined) {
    world.github.setFile('acme', 'ci-config', 'bridge/profiles.yaml', options.githubProfiles);
    Object.assign(profileEnv, { GITHUB_ORG_PROFILE: 'acme:ci-config:bridge/profiles.yaml', PROFILE_REFRESH_INTERVAL_SECS: '1' });
  }
  const config = configFrom({ ...world.env, ...profileEnv, ...options.env });
  const audit = captureLines();
  const logs = captureLines();
  const readiness = createReadiness();
  // The service's own JSON logger (ISO time, redaction), at debug so tests see every line.
  const logger = createLogger(false, logs.stream);
  logger.level = 'debug';
  const background = await buildService(config, {
    clock: options.clock ?? { nowMs: () => Date.now() },
    readiness,
    auditDestination: audit.stream,
    logger,
    fetch: globalThis.fetch,
    ...(options.telemetry && { telemetry: options.telemetry }),
  });
  const { app } = background;
  const metrics = background.metrics?.app ?? app;
  await Promise.all([app.ready(), metrics.ready()]);
  if (!options.notReady) {
    await background.ready;
    readiness.markReady();
  }
  return {
    app,
    metrics,
    world,
    config,
    audit,
    logs,
    readiness,
    background,
    writeProfiles: (text) => writeFile(profilePath, text),
    token: (claims, signOptions) => world.issuer.signToken(claims, { audience: demoAudience, ...signOptions }),
    close: async () => {
      await app.close();
      if (metrics !== app) await metrics.close();
      await background.stop();
      if (options.sharedWorld === undefined) await world.close();
      await rm(profileDir, { recursive: true, force: true });
    },
  };
}
