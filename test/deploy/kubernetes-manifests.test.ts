import { generateKeyPairSync } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { checkProfileFile } from '../../src/profile/check-profile-file.js';
import { configProblems, readRepoFile, secretVariables, unknownVariables } from './deploy-files.js';
import {
  containerOf,
  deploymentOf,
  find,
  kubernetesDir,
  kustomize,
  kustomizeBaseWith,
  plainEnvOf,
  validateManifest,
  type Manifest,
} from './kubernetes-manifests.js';

const components = readdirSync(join(kubernetesDir, 'components'));
const overlays = readdirSync(join(kubernetesDir, 'overlays'));
let builds: Record<string, Manifest[]>;
beforeAll(() => {
  builds = {
    base: kustomize(kubernetesDir),
    'base with every component': kustomizeBaseWith(components),
    ...Object.fromEntries(overlays.map((overlay) => [`overlays/${overlay}`, kustomize(join(kubernetesDir, 'overlays', overlay))])),
  };
});
const buildNames = ['base', 'base with every component', ...overlays.map((overlay) => `overlays/${overlay}`)];
const kindsOf = (manifests: Manifest[]) => manifests.map((m) => m.kind).sort();

describe('deploy/kubernetes', () => {
  it('builds offline with kubectl kustomize: the base, each overlay, the base with every component', () => {
    expect(kindsOf(builds['base'] ?? [])).toEqual(['ConfigMap', 'Deployment', 'PodDisruptionBudget', 'Service', 'ServiceAccount']);
    expect(components.sort()).toEqual(['ingress', 'pod-monitor']);
    expect(kindsOf(builds['base with every component'] ?? [])).toEqual(kindsOf([...(builds['base'] ?? []), { kind: 'Ingress' }, { kind: 'PodMonitor' }] as Manifest[]));
    expect(overlays).toEqual(['valkey']);
  });

  it.each(buildNames)('%s: every manifest validates against the Kubernetes API schemas', (name) => {
    for (const manifest of builds[name] ?? []) {
      expect(() => validateManifest(manifest), `${manifest.kind} ${manifest.metadata.name}`).not.toThrow();
    }
  });

  it('validates for real: a manifest breaking its schema is refused', () => {
    const deployment = deploymentOf(builds['base'] ?? []);
    expect(() => validateManifest({ ...deployment, spec: { ...deployment.spec, replicas: 'two' } })).toThrow(/replicas/);
    expect(() => validateManifest({ ...deployment, apiVersion: 'extensions/v1beta1' })).toThrow(/no schema/);
  });

  describe.each(buildNames)('the token-bridge container of %s', (name) => {
    const container = () => containerOf(deploymentOf(builds[name] ?? []));

    it('names only variables the configuration knows', () => {
      expect(unknownVariables((container().env ?? []).map((v) => v.name))).toEqual([]);
    });

    it('takes every secret variable from the Secret, never as a plain value', () => {
      for (const variable of container().env ?? []) {
        if (!secretVariables.includes(variable.name)) continue;
        expect(variable.value, variable.name).toBeUndefined();
        expect(variable.valueFrom?.secretKeyRef?.name, variable.name).toBe('token-bridge');
      }
    });

    it('is a configuration the service accepts, with the App key read from the mounted Secret', () => {
      const env = plainEnvOf(container());
      for (const variable of container().env ?? []) if (variable.valueFrom !== undefined) env[variable.name] = 'from-the-secret';
      const keyPath = env['GITHUB_APP_PRIVATE_KEY_FILE'] ?? '';
      const pem = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
      expect(configProblems(env, { [keyPath]: pem })).toEqual([]);
      const mount = container().volumeMounts?.find((m) => m.mountPath === dirname(keyPath));
      const volume = deploymentOf(builds[name] ?? []).spec.template.spec.volumes?.find((v) => v.name === mount?.name);
      expect(volume?.secret?.secretName).toBe('token-bridge');
      expect(volume?.secret?.items?.map((item) => item.path)).toContain(basename(keyPath));
    });

    it('serves PROFILE_FILE from the generated ConfigMap, a profile file that passes the check', () => {
      const profileFile = plainEnvOf(container())['PROFILE_FILE'] ?? '';
      const mount = container().volumeMounts?.find((m) => m.mountPath === dirname(profileFile));
      const volume = deploymentOf(builds[name] ?? []).spec.template.spec.volumes?.find((v) => v.name === mount?.name);
      const configMap = find<Manifest & { data: Record<string, string> }>(builds[name] ?? [], 'ConfigMap', volume?.configMap?.name ?? '');
      const text = configMap.data[basename(profileFile)] ?? '';
      expect(checkProfileFile(text).ok).toBe(true);
      expect(text).toBe(readRepoFile('deploy/kubernetes/base/profiles.yaml'));
    });
  });
});
