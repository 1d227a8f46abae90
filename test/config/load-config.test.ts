import { KeyObject, createPublicKey, generateKeyPairSync, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { loadConfig, type Config } from '../../src/config/load-config.js';
import { generateAppKey, minimalEnv, noFiles } from './env-fixtures.js';

const key = generateAppKey();

function configOf(env: Record<string, string>): Config {
  const result = loadConfig(env, noFiles);
  if (!result.ok) throw new Error(`expected a configuration, got problems: ${result.problems.join('; ')}`);
  return result.config;
}

function problemsOf(env: Record<string, string>): string[] {
  const result = loadConfig(env, noFiles);
  if (result.ok) throw new Error('expected problems, got a configuration');
  return result.problems;
}

/** A problem about `name`, whatever its wording. */
const about = (name: string) => expect.stringMatching(new RegExp(`^${name}\\b`));

describe('loadConfig', () => {
  describe('when only the required variables are set', () => {
    it('applies the Chinmina defaults to everything else', () => {
      expect(configOf(minimalEnv(key.pkcs1))).toEqual({
        server: {
          port: 8080,
          shutdownTimeoutMs: 25_000,
          requestBodyTimeoutMs: 10_000,
          basePath: '',
          trustedProxyHops: 0,
          outgoing: { maxIdleConnections: 100, maxConnectionsPerHost: 20, timeoutMs: 10_000, retryBudgetMs: 10_000 },
        },
        oidc: {
          issuerUrl: 'https://agent.buildkite.com',
          audience: 'app-token-issuer',
          organizationSlug: 'acme',
          jwksStatic: undefined,
        },
        buildkite: { apiUrl: 'https://api.buildkite.com', apiToken: 'bkua_0123456789abcdef' },
        github: {
          apiUrl: 'https://api.github.com',
          gitHost: 'github.com',
          appId: '123456',
          installationId: '7890123',
          privateKey: expect.any(KeyObject),
          privateKeyArn: undefined,
        },
        profiles: { location: undefined, refreshIntervalMs: 300_000 },
        cache: { minTokenLifetimeMs: 2_700_000, failureTtlMs: 30_000, pipelineMintLimitPerMinute: 60, shared: undefined },
        logging: { development: false },
        metrics: { enabled: true, port: 9090 },
        observe: expect.objectContaining({ enabled: false }),
      });
    });

    it('parses the PKCS#1 PEM into the RSA private key it holds', () => {
      const { privateKey } = configOf(minimalEnv(key.pkcs1)).github;
      expect(privateKey?.asymmetricKeyType).toBe('rsa');
      expect(privateKey && createPublicKey(privateKey).export({ type: 'spki', format: 'pem' })).toBe(key.publicPem);
    });
  });

  describe('when the GitHub API URL is a GitHub Enterprise Server one', () => {
    it('takes the git host from the API URL', () => {
      const config = configOf({ ...minimalEnv(key.pkcs1), GITHUB_API_URL: 'https://ghe.example.com/api/v3/' });
      expect(config.github).toMatchObject({ apiUrl: 'https://ghe.example.com/api/v3', gitHost: 'ghe.example.com' });
    });

    it('prefers an explicit GITHUB_GIT_HOST', () => {
      const config = configOf({
        ...minimalEnv(key.pkcs1),
        GITHUB_API_URL: 'https://ghe.example.com/api/v3',
        GITHUB_GIT_HOST: 'git.example.com',
      });
      expect(config.github.gitHost).toBe('git.example.com');
    });
  });

  describe('when SERVER_OUTGOING_RETRY_BUDGET_SECS is set', () => {
    it('reads 0 as retries off', () => {
      const config = configOf({ ...minimalEnv(key.pkcs1), SERVER_OUTGOING_RETRY_BUDGET_SECS: '0' });
      expect(config.server.outgoing.retryBudgetMs).toBe(0);
    });

    it('refuses a negative budget', () => {
      expect(problemsOf({ ...minimalEnv(key.pkcs1), SERVER_OUTGOING_RETRY_BUDGET_SECS: '-1' })).toEqual([about('SERVER_OUTGOING_RETRY_BUDGET_SECS')]);
    });
  });

  describe('when variables are missing', () => {
    it('names every missing required variable in one result', () => {
      const problems = problemsOf({});
      expect(problems).toEqual(
        expect.arrayContaining(
          [
            'JWT_BUILDKITE_ORGANIZATION_SLUG',
            'BUILDKITE_API_TOKEN',
            'GITHUB_APP_ID',
            'GITHUB_APP_INSTALLATION_ID',
            'GITHUB_APP_PRIVATE_KEY',
          ].map(about),
        ),
      );
      expect(problems).toHaveLength(5);
    });

    it.each(['BUILDKITE_API_TOKEN', 'GITHUB_APP_PRIVATE_KEY', 'JWT_BUILDKITE_ORGANIZATION_SLUG', 'GITHUB_APP_ID'])(
      'counts an empty or blank %s as missing',
      (name) => {
        for (const blank of ['', '   ']) {
          expect(problemsOf({ ...minimalEnv(key.pkcs1), [name]: blank })).toEqual([about(name)]);
        }
      },
    );
  });

  describe('when the App private key is given', () => {
    it('accepts PKCS#8 as well as PKCS#1', () => {
      expect(configOf(minimalEnv(key.pkcs8)).github.privateKey?.asymmetricKeyType).toBe('rsa');
    });

    it('refuses a garbage PEM without quoting it', () => {
      const body = randomBytes(600).toString('base64');
      const garbage = `-----BEGIN RSA PRIVATE KEY-----\n${body}\n-----END RSA PRIVATE KEY-----\n`;
      const problems = problemsOf(minimalEnv(garbage));
      expect(problems).toEqual([about('GITHUB_APP_PRIVATE_KEY')]);
      expect(problems.join('\n')).not.toContain(body.slice(0, 16));
    });

    it('refuses a private key that is not RSA', () => {
      const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'pkcs8', format: 'pem' });
      expect(problemsOf(minimalEnv(ec.toString()))).toEqual([about('GITHUB_APP_PRIVATE_KEY')]);
    });
  });

  describe('when Pyroscope profiling, which token-bridge does not have, is configured', () => {
    it.each([
      ['OBSERVE_PYROSCOPE_ENABLED', 'true'],
      ['OBSERVE_PYROSCOPE_SERVER_ADDRESS', 'http://pyroscope:4040'],
    ])('refuses %s=%s as not supported', (name, value) => {
      const problems = problemsOf({ ...minimalEnv(key.pkcs1), [name]: value });
      expect(problems).toEqual([expect.stringMatching(new RegExp(`^${name}\\b.*not supported`))]);
    });

    it('refuses OBSERVE_PYROSCOPE_BASIC_AUTH_PASSWORD without echoing the password', () => {
      const password = 'hunter2-pyroscope-password-0123456789';
      const problems = problemsOf({ ...minimalEnv(key.pkcs1), OBSERVE_PYROSCOPE_BASIC_AUTH_PASSWORD: password });
      expect(problems).toEqual([expect.stringMatching(/^OBSERVE_PYROSCOPE_BASIC_AUTH_PASSWORD\b.*not supported/)]);
      expect(problems.join('\n')).not.toContain(password);
    });

    it.each([
      ['VALKEY_TLS', 'true'],
      ['VALKEY_TLS', '1'],
      ['OBSERVE_TYPE', 'grpc'],
      ['OBSERVE_ENABLED', 'false'],
      ['CACHE_TYPE', 'memory'],
      ['GITHUB_ORG_PROFILE', ''],
    ])('accepts %s=%s, the default value', (name, value) => {
      expect(loadConfig({ ...minimalEnv(key.pkcs1), [name]: value }, noFiles).ok).toBe(true);
    });
  });

  describe('metrics and OpenTelemetry', () => {
    it('serves metrics on their own port, 9090, and keeps OpenTelemetry off by default', () => {
      const config = configOf(minimalEnv(key.pkcs1));
      expect(config.metrics).toEqual({ enabled: true, port: 9090 });
      expect(config.observe).toEqual({
        enabled: false,
        exporter: 'grpc',
        serviceName: 'chinmina-bridge',
        traceBatchTimeoutMs: 20_000,
        metricsEnabled: true,
        metricReadIntervalMs: 60_000,
        httpTransportEnabled: true,
        connectionTraceEnabled: true,
        sdkLogLevel: 'info',
      });
    });

    it('reads METRICS_PORT, METRICS_ENABLED and every OBSERVE_* variable', () => {
      const config = configOf({
        ...minimalEnv(key.pkcs1),
        METRICS_ENABLED: 'false',
        METRICS_PORT: '9090',
        OBSERVE_ENABLED: 'true',
        OBSERVE_TYPE: 'http',
        OBSERVE_SERVICE_NAME: 'bridge-eu',
        OBSERVE_TRACE_BATCH_TIMEOUT_SECS: '5',
        OBSERVE_METRICS_ENABLED: 'false',
        OBSERVE_METRIC_READ_INTERVAL_SECS: '15',
        OBSERVE_HTTP_TRANSPORT_ENABLED: 'false',
        OBSERVE_CONNECTION_TRACE_ENABLED: 'false',
        OBSERVE_OTEL_LOG_LEVEL: 'debug',
      });
      expect(config.metrics).toEqual({ enabled: false, port: 9090 });
      expect(config.observe).toEqual({
        enabled: true,
        exporter: 'http',
        serviceName: 'bridge-eu',
        traceBatchTimeoutMs: 5000,
        metricsEnabled: false,
        metricReadIntervalMs: 15_000,
        httpTransportEnabled: false,
        connectionTraceEnabled: false,
        sdkLogLevel: 'debug',
      });
    });

    it('refuses METRICS_PORT equal to SERVER_PORT, the default 9090 included', () => {
      for (const ports of [{ SERVER_PORT: '9000', METRICS_PORT: '9000' }, { SERVER_PORT: '9090' }]) {
        expect(problemsOf({ ...minimalEnv(key.pkcs1), ...ports })).toEqual([
          expect.stringMatching(/^METRICS_PORT: must differ from SERVER_PORT/),
        ]);
      }
    });

    it('with METRICS_PORT=0 serves metrics on the service port, warning that profile names are then public', () => {
      const result = loadConfig({ ...minimalEnv(key.pkcs1), METRICS_PORT: '0' }, noFiles);
      expect(result).toMatchObject({ ok: true, config: { metrics: { enabled: true, port: undefined } } });
      expect(result.ok && result.warnings).toEqual([expect.stringMatching(/^METRICS_PORT=0: .*profile names.*without authentication/)]);
    });

    it('warns about nothing with the default METRICS_PORT, or with METRICS_PORT=0 and metrics off', () => {
      for (const env of [{}, { METRICS_PORT: '0', METRICS_ENABLED: 'false' }]) {
        const result = loadConfig({ ...minimalEnv(key.pkcs1), ...env }, noFiles);
        expect(result.ok && result.warnings).toEqual([]);
      }
    });

    it('names every invalid observability variable at once', () => {
      const problems = problemsOf({
        ...minimalEnv(key.pkcs1),
        METRICS_PORT: '70000',
        OBSERVE_TYPE: 'zipkin',
        OBSERVE_OTEL_LOG_LEVEL: 'loud',
        OBSERVE_TRACE_BATCH_TIMEOUT_SECS: '0',
      });
      expect(problems).toEqual(
        expect.arrayContaining([
          expect.stringMatching(/^METRICS_PORT: /),
          'OBSERVE_TYPE: must be one of grpc, http, stdout',
          'OBSERVE_OTEL_LOG_LEVEL: must be one of debug, info, warn, error, none',
          expect.stringMatching(/^OBSERVE_TRACE_BATCH_TIMEOUT_SECS: /),
        ]),
      );
      expect(problems).toHaveLength(4);
    });
  });

  describe('when a profile file is configured', () => {
    it('reads GITHUB_ORG_PROFILE as owner:repo:path, the path keeping further colons', () => {
      const config = configOf({ ...minimalEnv(key.pkcs1), GITHUB_ORG_PROFILE: 'acme:silk:profiles/a:b.yaml' });
      expect(config.profiles.location).toEqual({ kind: 'github', owner: 'acme', repo: 'silk', path: 'profiles/a:b.yaml' });
    });

    it.each([['acme:silk'], ['profile.yaml'], [':silk:x'], ['acme::x'], ['acme:silk:']])(
      'refuses the malformed GITHUB_ORG_PROFILE=%s',
      (value) => {
        expect(problemsOf({ ...minimalEnv(key.pkcs1), GITHUB_ORG_PROFILE: value })).toEqual([
          expect.stringMatching(/^GITHUB_ORG_PROFILE: /),
        ]);
      },
    );

    it('reads PROFILE_FILE and the refresh interval', () => {
      const config = configOf({ ...minimalEnv(key.pkcs1), PROFILE_FILE: '/etc/profiles.yaml', PROFILE_REFRESH_INTERVAL_SECS: '60' });
      expect(config.profiles).toEqual({ location: { kind: 'file', path: '/etc/profiles.yaml' }, refreshIntervalMs: 60_000 });
    });

    it('refuses both sources at once, and a refresh interval under a second', () => {
      const problems = problemsOf({
        ...minimalEnv(key.pkcs1),
        PROFILE_FILE: '/etc/profiles.yaml',
        GITHUB_ORG_PROFILE: 'acme:silk:profiles.yaml',
      });
      expect(problems).toEqual(['GITHUB_ORG_PROFILE and PROFILE_FILE are mutually exclusive']);
      expect(problemsOf({ ...minimalEnv(key.pkcs1), PROFILE_REFRESH_INTERVAL_SECS: '0' })).toEqual([
        expect.stringMatching(/^PROFILE_REFRESH_INTERVAL_SECS: /),
      ]);
    });
  });

  describe('when CACHE_TYPE is neither memory nor valkey', () => {
    it('refuses it as Chinmina does', () => {
      expect(problemsOf({ ...minimalEnv(key.pkcs1), CACHE_TYPE: 'redis' })).toEqual([
        'CACHE_TYPE: invalid cache type "redis": must be either "memory" or "valkey"',
      ]);
    });
  });
});
