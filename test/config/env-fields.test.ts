import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load-config.js';
import { generateAppKey, minimalEnv, noFiles } from './env-fixtures.js';

const env = minimalEnv(generateAppKey().pkcs1);

const load = (extra: Record<string, string>) => loadConfig({ ...env, ...extra }, noFiles);

describe('environment fields', () => {
  describe('booleans', () => {
    it.each(['1', 't', 'T', 'TRUE', 'true', 'True', ' true '])('reads %j as true, as Go strconv.ParseBool does', (raw) => {
      const result = load({ METRICS_ENABLED: raw });
      expect(result.ok && result.config.metrics.enabled).toBe(true);
    });

    it.each(['0', 'f', 'F', 'FALSE', 'false', 'False'])('reads %j as false', (raw) => {
      const result = load({ METRICS_ENABLED: raw });
      expect(result).toMatchObject({ ok: true, config: { metrics: { enabled: false } } });
    });

    it.each(['yes', 'on', 'tRUE', '2'])('refuses %j', (raw) => {
      expect(load({ METRICS_ENABLED: raw })).toEqual({
        ok: false,
        problems: [expect.stringMatching(/^METRICS_ENABLED\b/)],
      });
    });
  });

  describe('SERVER_TRUST_PROXY, a boolean or a number of hops', () => {
    it.each([
      ['true', 1],
      ['T', 1],
      ['false', 0],
      ['0', 0],
      ['1', 1],
      ['2', 2],
      [' 3 ', 3],
      ['', 0],
    ])('reads %j as %d trusted hops', (raw, hops) => {
      expect(load({ SERVER_TRUST_PROXY: raw })).toMatchObject({ ok: true, config: { server: { trustedProxyHops: hops } } });
    });

    it.each(['yes', '-1', '1.5', '11', '0x2', 'tRUE'])('refuses %j', (raw) => {
      expect(load({ SERVER_TRUST_PROXY: raw })).toEqual({
        ok: false,
        problems: [expect.stringMatching(/^SERVER_TRUST_PROXY\b/)],
      });
    });
  });

  describe('integers', () => {
    it('reads a decimal value, surrounding whitespace allowed', () => {
      const result = load({ SERVER_PORT: ' 9091 ', SERVER_OUTGOING_TIMEOUT_SECS: '3', CACHE_MIN_TOKEN_LIFETIME_SECS: '0' });
      expect(result).toMatchObject({
        ok: true,
        config: { server: { port: 9091, outgoing: { timeoutMs: 3000 } }, cache: { minTokenLifetimeMs: 0 } },
      });
    });

    it('treats a blank value as unset and applies the default', () => {
      expect(load({ SERVER_PORT: '' })).toMatchObject({ ok: true, config: { server: { port: 8080 } } });
    });

    it.each([
      ['SERVER_PORT', '80.5'],
      ['SERVER_PORT', '0x50'],
      ['SERVER_PORT', '1e3'],
      ['SERVER_PORT', 'eighty'],
      ['SERVER_PORT', '65536'],
      ['SERVER_PORT', '-1'],
      ['SERVER_SHUTDOWN_TIMEOUT_SECS', '99999999999999999999'],
      ['SERVER_OUTGOING_TIMEOUT_SECS', '0'],
      ['CACHE_MIN_TOKEN_LIFETIME_SECS', '3301'],
    ])('refuses %s=%s', (name, raw) => {
      expect(load({ [name]: raw })).toEqual({ ok: false, problems: [expect.stringMatching(new RegExp(`^${name}\\b`))] });
    });
  });

  describe('numeric ids', () => {
    it.each(['0', '-5', '12a', '1.0', '01'])('refuses GITHUB_APP_ID=%s', (raw) => {
      expect(load({ GITHUB_APP_ID: raw })).toEqual({ ok: false, problems: [expect.stringMatching(/^GITHUB_APP_ID\b/)] });
    });
  });

  describe('URLs', () => {
    it.each(['api.github.com', 'ftp://api.github.com', 'not a url'])('refuses GITHUB_API_URL=%s', (raw) => {
      expect(load({ GITHUB_API_URL: raw })).toEqual({ ok: false, problems: [expect.stringMatching(/^GITHUB_API_URL\b/)] });
    });

    it('refuses a JWT_ISSUER_URL that is not a URL', () => {
      expect(load({ JWT_ISSUER_URL: 'agent.buildkite.com' })).toEqual({
        ok: false,
        problems: [expect.stringMatching(/^JWT_ISSUER_URL\b/)],
      });
    });
  });

  describe('when several values are wrong', () => {
    it('reports each of them', () => {
      const result = load({ SERVER_PORT: 'x', SERVER_TRUST_PROXY: 'maybe', GITHUB_APP_INSTALLATION_ID: 'abc' });
      expect(result).toEqual({
        ok: false,
        problems: expect.arrayContaining(
          ['SERVER_PORT', 'SERVER_TRUST_PROXY', 'GITHUB_APP_INSTALLATION_ID'].map((name) =>
            expect.stringMatching(new RegExp(`^${name}\\b`)),
          ),
        ),
      });
    });
  });
});
