import { generateKeyPairSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import { pino } from 'pino';
import { buildApp } from '../../src/app.js';
import { loadConfig, type Config } from '../../src/config/load-config.js';
import { buildDeps } from '../../src/deps.js';
import { demoAudience, startDemoWorld, type DemoWorld, type DemoWorldOptions } from '../../src/dev/demo-world.js';
import type { ClaimOverrides } from '../../src/dev/buildkite-claims.js';
import type { SignTokenOptions } from '../../src/dev/oidc-issuer.js';
import { generateSigningKey } from '../../src/dev/signing-keys.js';
import type { Clock } from '../../src/lib/clock.js';
import { createReadiness, type Readiness } from '../../src/lifecycle/readiness.js';
import { captureLines, type CapturedLines } from './capture-stream.js';

/** The real application wired to the stand-ins, with its audit and log lines captured. */
export interface Harness {
  readonly app: FastifyInstance;
  readonly world: DemoWorld;
  readonly config: Config;
  readonly audit: CapturedLines;
  readonly logs: CapturedLines;
  readonly readiness: Readiness;
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

export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  const clockOption = options.clock === undefined ? {} : { clock: options.clock };
  const world = await startDemoWorld({ ...clockOption, keys: await testKeys(), ...options.world });
  const config = configFrom({ ...world.env, ...options.env });
  const audit = captureLines();
  const logs = captureLines();
  const readiness = createReadiness();
  const { options: appOptions, deps } = buildDeps(config, {
    clock: options.clock ?? { nowMs: () => Date.now() },
    readiness,
    auditDestination: audit.stream,
    logger: pino({ level: 'debug' }, logs.stream),
    fetch: globalThis.fetch,
  });
  const app = buildApp(appOptions, deps);
  await app.ready();
  if (!options.notReady) readiness.markReady();
  return {
    app,
    world,
    config,
    audit,
    logs,
    readiness,
    token: (claims, signOptions) => world.issuer.signToken(claims, { audience: demoAudience, ...signOptions }),
    close: async () => {
      await app.close();
      await world.close();
    },
  };
}
