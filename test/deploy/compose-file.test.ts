import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load-config.js';
import { writeDevAppKey } from '../../src/dev/dev-app-key.js';
import { checkProfileFile } from '../../src/profile/check-profile-file.js';
import { composeFile, dockerfile, environmentOf, flagValue, instructionsOf, repoRoot, service, unknownVariables } from './deploy-files.js';

const bridges = ['bridge-1', 'bridge-2'] as const;
const standIns = ['oidc-issuer', 'buildkite', 'github'] as const;
const keyVolumeTarget = () => service('app-key').command?.[2] ?? '';
/** The Dockerfile stage compose builds for its token-bridge services. */
const composeTarget = () => {
  const build = service('bridge-1').build;
  return typeof build === 'object' ? build.target : undefined;
};

describe('docker-compose.yml', () => {
  it('runs Valkey, a key writer, the three stand-ins and two bridges', () => {
    expect(Object.keys(composeFile().services).sort()).toEqual(
      ['app-key', 'bridge-1', 'bridge-2', 'buildkite', 'github', 'oidc-issuer', 'valkey'].sort(),
    );
  });

  it('builds one token-bridge image from this directory for every service but Valkey', () => {
    const image = service('bridge-1').image;
    expect(image).toBeDefined();
    for (const name of [...bridges, ...standIns, 'app-key']) {
      expect(service(name), name).toMatchObject({ image, build: { context: '.', target: 'demo' } });
    }
  });

  it('builds the Dockerfile stage that adds the stand-ins, not the default production image', () => {
    const target = composeTarget() ?? '';
    expect(dockerfile().final.name).not.toBe(target);
    const copiesStandIns = instructionsOf(dockerfile().image(target), 'COPY').some(
      (copy) => copy.flags['from'] !== undefined && copy.args.split(/\s+/).at(-1) === './dist/dev',
    );
    expect(copiesStandIns).toBe(true);
  });

  it('names no registry host in any image', () => {
    for (const [name, { image = '' }] of Object.entries(composeFile().services)) {
      const first = image.split('/')[0] ?? '';
      // A registry host is a first component with a dot or a port, and only when a path follows.
      expect(image.includes('/') && /[.:]/.test(first), name).toBe(false);
    }
    expect(service('valkey').image).toMatch(/^valkey\/valkey:/);
  });

  describe('each bridge', () => {
    it.each(bridges)('%s shares the Valkey service, without TLS inside the compose network', (name) => {
      const env = environmentOf(service(name));
      expect(env).toMatchObject({ CACHE_TYPE: 'valkey', VALKEY_TLS: 'false' });
      const [host, port] = (env['VALKEY_ADDRESS'] ?? '').split(':');
      expect(service(host ?? '').image).toMatch(/^valkey\//);
      expect(port).toBe('6379');
    });

    it('sets the same configuration on both, each published on its own host port', () => {
      expect(environmentOf(service('bridge-1'))).toEqual(environmentOf(service('bridge-2')));
      const published = bridges.map((name) => service(name).ports?.[0]);
      expect(published.map((mapping) => mapping?.split(':')[1])).toEqual(['8080', '8080']);
      expect(new Set(published.map((mapping) => mapping?.split(':')[0])).size).toBe(2);
    });

    it('sets only variables the configuration knows', () => {
      expect(unknownVariables(Object.keys(environmentOf(service('bridge-1'))))).toEqual([]);
    });

    it('points at the stand-ins by service name and the port each listens on', () => {
      const env = environmentOf(service('bridge-1'));
      const listening = (name: string) => `http://${name}:${flagValue(service(name).command ?? [], '--port') ?? ''}`;
      expect(env['JWT_ISSUER_URL']).toBe(listening('oidc-issuer'));
      expect(env['BUILDKITE_API_URL']).toBe(listening('buildkite'));
      expect(env['GITHUB_API_URL']).toBe(listening('github'));
    });

    it('serves a valid profile file the image contains', () => {
      const profileFile = environmentOf(service('bridge-1'))['PROFILE_FILE'] ?? '';
      const image = dockerfile().image(composeTarget() ?? '');
      const workdir = instructionsOf(image, 'WORKDIR').at(-1)?.args ?? '';
      expect(profileFile.startsWith(`${workdir}/`)).toBe(true);
      const inRepo = profileFile.slice(workdir.length + 1);
      expect(instructionsOf(image, 'COPY').some((copy) => copy.args.split(/\s+/).includes(inRepo))).toBe(true);
      expect(checkProfileFile(readFileSync(join(repoRoot, inRepo), 'utf8')).ok).toBe(true);
    });

    it('starts only after the key is written and every dependency is healthy', () => {
      for (const name of bridges) {
        expect(service(name).depends_on).toEqual({
          'app-key': { condition: 'service_completed_successfully' },
          valkey: { condition: 'service_healthy' },
          'oidc-issuer': { condition: 'service_healthy' },
          buildkite: { condition: 'service_healthy' },
          github: { condition: 'service_healthy' },
        });
      }
      expect(service('github').depends_on).toEqual({ 'app-key': { condition: 'service_completed_successfully' } });
      for (const name of ['valkey', ...standIns, ...bridges]) expect(service(name).healthcheck?.test?.[0], name).toBe('CMD');
    });
  });

  describe('with the key the app-key service writes', () => {
    let keyDir = '';
    beforeAll(async () => {
      keyDir = await mkdtemp(join(tmpdir(), 'compose-keys-'));
      await writeDevAppKey(keyDir);
    });
    afterAll(async () => {
      await rm(keyDir, { recursive: true, force: true });
    });

    it('is accepted by the configuration loader as the bridges would read it', () => {
      const env = environmentOf(service('bridge-1'));
      const readFile = (path: string) => readFileSync(path.replace(keyVolumeTarget(), keyDir), 'utf8');
      const loaded = loadConfig(env, readFile);
      expect(loaded.ok ? [] : loaded.problems).toEqual([]);
      expect(env['GITHUB_APP_PRIVATE_KEY_FILE']?.startsWith(`${keyVolumeTarget()}/`)).toBe(true);
    });

    it('shares one volume: written by app-key, read-only for the GitHub stand-in and the bridges', () => {
      const writer = service('app-key').volumes?.[0];
      expect(writer).toMatchObject({ target: keyVolumeTarget() });
      for (const name of ['github', ...bridges]) {
        expect(service(name).volumes, name).toEqual([{ ...(typeof writer === 'object' ? writer : {}), read_only: true }]);
      }
      expect(flagValue(service('github').command ?? [], '--public-key-file')?.startsWith(`${keyVolumeTarget()}/`)).toBe(true);
    });
  });

  it('gives the stand-ins what the bridges expect of them', () => {
    const env = environmentOf(service('bridge-1'));
    const issuer = service('oidc-issuer').command ?? [];
    const github = service('github').command ?? [];
    const buildkite = service('buildkite').command ?? [];
    expect(flagValue(issuer, '--issuer-url')).toBe(env['JWT_ISSUER_URL']);
    expect(flagValue(github, '--app-id')).toBe(env['GITHUB_APP_ID']);
    expect(flagValue(github, '--installation-id')).toBe(env['GITHUB_APP_INSTALLATION_ID']);
    expect(environmentOf(service('buildkite'))['BUILDKITE_API_TOKEN']).toBe(env['BUILDKITE_API_TOKEN']);
    expect(flagValue(buildkite, '--pipeline')).toMatch(new RegExp(`^${env['JWT_BUILDKITE_ORGANIZATION_SLUG'] ?? ''}/`));
    for (const name of standIns) expect(flagValue(service(name).command ?? [], '--host'), name).toBe('0.0.0.0');
  });
});
