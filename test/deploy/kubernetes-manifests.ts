import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { PodMonitor } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1';
import { Deployment } from 'kubernetes-models/apps/v1';
import { Ingress, NetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1';
import { ConfigMap, Service, ServiceAccount } from 'kubernetes-models/v1';
import type { IContainer, IEnvVar, IPodSpec } from 'kubernetes-models/v1';
import { parseAllDocuments } from 'yaml';
import { requireCommand } from '../support/system-tool.js';
import { repoRoot } from './deploy-files.js';

/** One manifest of a build, as far as the tests read it; the schemas check the rest. */
export interface Manifest {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: { readonly name: string; readonly labels?: Record<string, string> };
  readonly [field: string]: unknown;
}

export const kubernetesDir = join(repoRoot, 'deploy/kubernetes');

/** Runs `kubectl kustomize` on a directory (offline: it reads only the files) and parses its output. */
export function kustomize(dir: string): Manifest[] {
  const kubectl = requireCommand('kubectl', 'kubernetes-client');
  const output = execFileSync(kubectl, ['kustomize', dir], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  return parseAllDocuments(output).map((document) => {
    if (document.errors.length > 0) throw document.errors[0];
    // Shape checked by the schema validation and the assertions that read it.
    return document.toJS() as Manifest;
  });
}

/**
 * The base with `components` (directories under deploy/kubernetes/components) added, built
 * from a scratch kustomization: a component cannot be built on its own.
 */
export function kustomizeBaseWith(components: readonly string[]): Manifest[] {
  const dir = mkdtempSync(join(tmpdir(), 'kustomize-'));
  try {
    // kustomize takes only relative paths to other directories.
    const path = (to: string) => relative(dir, join(kubernetesDir, to));
    const list = (paths: readonly string[]) => paths.map((p) => `  - ${path(p)}`).join('\n');
    writeFileSync(
      join(dir, 'kustomization.yaml'),
      `apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n${list(['base'])}\ncomponents:\n${list(components.map((c) => `components/${c}`))}\n`,
    );
    return kustomize(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The directories under deploy/kubernetes/components and deploy/kubernetes/overlays. */
export const kustomizations = {
  components: readdirSync(join(kubernetesDir, 'components')).sort(),
  overlays: readdirSync(join(kubernetesDir, 'overlays')).sort(),
};

let built: ReadonlyMap<string, Manifest[]> | undefined;

/**
 * Every build the tests check, made once per test file: `base`, `base with every
 * component`, and `overlays/NAME` for each overlay.
 */
export function kubernetesBuilds(): ReadonlyMap<string, Manifest[]> {
  built ??= new Map([
    ['base', kustomize(kubernetesDir)],
    ['base with every component', kustomizeBaseWith(kustomizations.components)],
    ...kustomizations.overlays.map((name): [string, Manifest[]] => [`overlays/${name}`, kustomize(join(kubernetesDir, 'overlays', name))]),
  ]);
  return built;
}

/** One build of {@link kubernetesBuilds}. */
export function build(name: string): Manifest[] {
  const manifests = kubernetesBuilds().get(name);
  if (manifests === undefined) throw new Error(`no build ${name}`);
  return manifests;
}

/** The model of every kind the manifests use; a manifest of another kind has no schema here. */
const models: Record<string, new (data: never) => { validate(): void }> = {
  'v1/ConfigMap': ConfigMap,
  'v1/Service': Service,
  'v1/ServiceAccount': ServiceAccount,
  'apps/v1/Deployment': Deployment,
  'policy/v1/PodDisruptionBudget': PodDisruptionBudget,
  'networking.k8s.io/v1/NetworkPolicy': NetworkPolicy,
  'networking.k8s.io/v1/Ingress': Ingress,
  'monitoring.coreos.com/v1/PodMonitor': PodMonitor,
};

/** Validates a manifest against its Kubernetes API (or CRD) schema; throws naming what is wrong. */
export function validateManifest(manifest: Manifest): void {
  const Model = models[`${manifest.apiVersion}/${manifest.kind}`];
  if (Model === undefined) throw new Error(`no schema for ${manifest.apiVersion} ${manifest.kind}`);
  new Model(manifest as never).validate();
}

/** The one manifest of `kind` named `name`. */
export function find<T = Manifest>(manifests: readonly Manifest[], kind: string, name: string): T {
  const found = manifests.filter((m) => m.kind === kind && m.metadata.name === name);
  if (found.length !== 1) throw new Error(`expected one ${kind} ${name}, found ${found.length}`);
  // The caller names the shape it reads; the schema validation has checked the manifest.
  return found[0] as T;
}

/** A Deployment as these tests read it. */
export interface DeploymentManifest extends Manifest {
  readonly spec: {
    readonly replicas?: number;
    readonly selector: { readonly matchLabels: Record<string, string> };
    readonly template: {
      readonly metadata: { readonly labels: Record<string, string>; readonly annotations?: Record<string, string> };
      readonly spec: IPodSpec;
    };
  };
}

export const deploymentOf = (manifests: readonly Manifest[], name = 'token-bridge') =>
  find<DeploymentManifest>(manifests, 'Deployment', name);

/** The container `name` of a Deployment. */
export function containerOf(deployment: DeploymentManifest, name = 'token-bridge'): IContainer {
  const container = deployment.spec.template.spec.containers.find((c) => c.name === name);
  if (container === undefined) throw new Error(`no container ${name}`);
  return container;
}

/** A container's plain `value`s by name (variables given `valueFrom` are left out). */
export function plainEnvOf(container: IContainer): Record<string, string> {
  return Object.fromEntries((container.env ?? []).flatMap((v: IEnvVar) => (v.value === undefined ? [] : [[v.name, v.value]])));
}
