import { z } from 'zod';
import { buildkiteEnv } from './env-buildkite.js';
import { cacheEnv } from './env-cache.js';
import { githubEnv } from './env-github.js';
import { observabilityEnv } from './env-observability.js';
import { serverEnv } from './env-server.js';

/**
 * Every environment variable token-bridge knows: Chinmina Bridge's names and defaults, plus
 * token-bridge's own. Each section and description is the configuration reference
 * (`npm run docs:config` writes `docs/configuration.md` from them), in this order. The
 * `env-*.ts` files of this folder are the only place that names environment variables.
 */
export const envSchema = z.object({
  ...serverEnv,
  ...buildkiteEnv,
  ...githubEnv,
  ...cacheEnv,
  ...observabilityEnv,
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
