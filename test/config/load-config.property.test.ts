import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { envSchema } from '../../src/config/env-schema.js';
import { loadConfig } from '../../src/config/load-config.js';
import type { ReadTextFileSync } from '../../src/config/secret-files.js';

const names = [...Object.keys(envSchema.shape), 'GITHUB_APP_PRIVATE_KEY_FILE', 'JWT_JWKS_STATIC_FILE'];
const secretNames = ['GITHUB_APP_PRIVATE_KEY', 'BUILDKITE_API_TOKEN', 'VALKEY_PASSWORD'] as const;

/** Values that often look like what a variable expects, plus arbitrary text. */
const envValue = fc.oneof(
  fc.string({ unit: 'binary' }),
  fc.constantFrom('', ' ', 'true', 'false', '0', '8080', '-1', 'valkey', 'memory', '//a', 'https://x.example', '{}'),
);

/** Long random secrets, marked so that no other generated value can equal one by chance. */
const secret = fc.string({ unit: 'binary', minLength: 24, maxLength: 64 }).map((text) => `S3CRET${text}`);

const readFiles = fc.oneof(
  fc.constant<ReadTextFileSync>(() => {
    throw Object.assign(new Error('nope'), { code: 'EACCES' });
  }),
  fc.string({ unit: 'binary' }).map((contents): ReadTextFileSync => () => contents),
);

const secretsOf = fc.record({
  GITHUB_APP_PRIVATE_KEY: secret,
  BUILDKITE_API_TOKEN: secret,
  VALKEY_PASSWORD: secret,
});

describe('loadConfig on arbitrary environments', () => {
  it('never throws and always answers a configuration or problems', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.constantFrom(...names), envValue), readFiles, (env, readFile) => {
        const result = loadConfig(env, readFile);
        expect(result.ok || result.problems.length > 0).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('never quotes GITHUB_APP_PRIVATE_KEY, BUILDKITE_API_TOKEN or VALKEY_PASSWORD in a problem', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.constantFrom(...names), envValue), secretsOf, readFiles, (env, secrets, readFile) => {
        const result = loadConfig({ ...env, ...secrets }, readFile);
        const problems = result.ok ? [] : result.problems;
        for (const name of secretNames) {
          const value = secrets[name].trim();
          for (const problem of problems) expect(problem).not.toContain(value);
        }
      }),
      { numRuns: 300 },
    );
  });
});
