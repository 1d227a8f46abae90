import { generateKeyPairSync } from 'node:crypto';
import { basename, dirname } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { checkProfileFile } from '../../src/profile/check-profile-file.js';
import { configProblems, readRepoFile, secretVariables, unknownVariables } from './deploy-files.js';
import { build, containerOf, deploymentOf, find, kubernetesBuilds, kustomizations, plainEnvOf, validateManifest, type Manifest } from './kubernetes-manifests.js';

beforeAll(() => void kubernetesBuilds());
const buildNames = ['base', 'base with every component', ...kustomizations.overlays.map((overlay) => `overlays/${overlay}`)];
const kindsOf = (manifests: Manifest[]) => manifests.map((m) => m.kind).sort();

describe('deploy/kubernetes', () => {
  it('builds offline with kubectl kustomize: the base, each overlay, the base with every component', () => {
    expect(kindsOf(build('base'))).toEqual(['ConfigMap', 'Deployment', 'PodDisruptionBudget', 'Service', 'ServiceAccount']);
    expect(kustomizations.components).toEqual(['ingress', 'pod-monitor']);
    expect(kindsOf(build('base with every component'))).toEqual(kindsOf([...build('base'), { kind: 'Ingress' }, { kind: 'PodMonitor' }] as Manifest[]));
    expect(kustomizations.overlays).toEqual(['valkey']);
  });

  it.each(buildNames)('%s: every manifest validates against the Kubernetes API schemas', (name) => {
    for (const manifest of build(name)) {
      expect(() => validateManifest(manifest), `${manifest.kind} ${manifest.metadata.name}`).not.toThrow();
    }
  });

  it('validates for real: a manifest breaking its schema is refused', () => {
    const deployment = deploymentOf(build('base'));
    expect(() => validateManifest({ ...deployment, spec: { ...deployment.spec, replicas: 'two' } })).toThrow(/replicas/);
    expect(() => validateManifest({ ...deployment, apiVersion: 'extensions/v1beta1' })).toThrow(/no schema/);
  });

  describe.each(buildNames)('the token-bridge container of %s', (name) => {
    const container = () => containerOf(deploymentOf(build(name)));

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
      const volume = deploymentOf(build(name)).spec.template.spec.volumes?.find((v) => v.name === mount?.name);
      expect(volume?.secret?.secretName).toBe('token-bridge');
      expect(volume?.secret?.items?.map((item) => item.path)).toContain(basename(keyPath));
    });

    it('serves PROFILE_FILE from the generated ConfigMap, a profile file that passes the check', () => {
      const profileFile = plainEnvOf(container())['PROFILE_FILE'] ?? '';
      const mount = container().volumeMounts?.find((m) => m.mountPath === dirname(profileFile));
      const volume = deploymentOf(build(name)).spec.template.spec.volumes?.find((v) => v.name === mount?.name);
      const configMap = find<Manifest & { data: Record<string, string> }>(build(name), 'ConfigMap', volume?.configMap?.name ?? '');
      const text = configMap.data[basename(profileFile)] ?? '';
      expect(checkProfileFile(text).ok).toBe(true);
      expect(text).toBe(readRepoFile('deploy/kubernetes/base/profiles.yaml'));
    });
  });
});
