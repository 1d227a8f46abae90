import { beforeAll, describe, expect, it } from 'vitest';
import { telemetryFlushTimeoutMs } from '../../src/main.js';
import { build, containerOf, deploymentOf, find, plainEnvOf, type DeploymentManifest, type Manifest } from './kubernetes-manifests.js';

/** Resident memory measured with `npm run bench` after sustained load (about 110 MiB idle). */
const loadedRssMiB = 180;

const mebibytes = (quantity: string | number | undefined): number => {
  const match = /^(\d+)(Mi|Gi)$/.exec(String(quantity));
  if (match === null) throw new Error(`not a Mi/Gi quantity: ${String(quantity)}`);
  return Number(match[1]) * (match[2] === 'Gi' ? 1024 : 1);
};

let base: Manifest[];
let withComponents: Manifest[];
let valkey: Manifest[];
beforeAll(() => {
  base = build('base');
  withComponents = build('base with every component');
  valkey = build('overlays/valkey');
});

const podLabels = (deployment: DeploymentManifest) => deployment.spec.template.metadata.labels;
const selects = (selector: Record<string, string> | undefined, labels: Record<string, string>) =>
  selector !== undefined && Object.keys(selector).length > 0 && Object.entries(selector).every(([key, value]) => labels[key] === value);
const portNumber = (deployment: DeploymentManifest, name: string) =>
  containerOf(deployment).ports?.find((port) => port.name === name)?.containerPort;

describe('the token-bridge Deployment', () => {
  it('runs every container of every build as non-root, read-only, unprivileged, without capabilities', () => {
    for (const manifests of [base, valkey]) {
      for (const deployment of manifests.filter((m): m is DeploymentManifest => m.kind === 'Deployment')) {
        const pod = deployment.spec.template.spec;
        expect(pod.securityContext?.runAsNonRoot, deployment.metadata.name).toBe(true);
        expect(pod.automountServiceAccountToken, deployment.metadata.name).toBe(false);
        for (const container of pod.containers) {
          expect(container.securityContext, container.name).toMatchObject({
            allowPrivilegeEscalation: false,
            readOnlyRootFilesystem: true,
            capabilities: { drop: ['ALL'] },
          });
        }
      }
    }
  });

  it('routes on readiness (/healthcheck) and restarts on liveness (/livez), on the service port', () => {
    const deployment = deploymentOf(base);
    const container = containerOf(deployment);
    expect(container.readinessProbe?.httpGet).toEqual({ path: '/healthcheck', port: 'http' });
    expect(container.livenessProbe?.httpGet).toEqual({ path: '/livez', port: 'http' });
    expect(container.startupProbe?.httpGet).toEqual({ path: '/livez', port: 'http' });
    expect(String(portNumber(deployment, 'http'))).toBe(plainEnvOf(container)['SERVER_PORT']);
  });

  it('gives the drain its whole deadline: preStop sleep, SERVER_SHUTDOWN_TIMEOUT_SECS and the telemetry flush', () => {
    const deployment = deploymentOf(base);
    const container = containerOf(deployment);
    const [command, seconds] = container.lifecycle?.preStop?.exec?.command ?? [];
    expect(command).toBe('sleep');
    const drainSecs = Number(plainEnvOf(container)['SERVER_SHUTDOWN_TIMEOUT_SECS'] ?? 25);
    const neededSecs = Number(seconds) + drainSecs + telemetryFlushTimeoutMs / 1000;
    expect(deployment.spec.template.spec.terminationGracePeriodSeconds).toBeGreaterThan(neededSecs);
  });

  it('requests the memory the benchmark measured under load, with room above it, and caps it', () => {
    const { resources } = containerOf(deploymentOf(base));
    expect(mebibytes(resources?.requests?.['memory'])).toBeGreaterThanOrEqual(loadedRssMiB);
    expect(mebibytes(resources?.limits?.['memory'])).toBeGreaterThanOrEqual(2 * loadedRssMiB);
    expect(resources?.requests?.['cpu']).toBeDefined();
    expect(resources?.limits?.['cpu']).toBeDefined();
  });

  it('keeps replicas through disruptions: more than one, and a budget that lets one go at a time', () => {
    const deployment = deploymentOf(base);
    const budget = find<Manifest & { spec: { maxUnavailable: number; selector: { matchLabels: Record<string, string> } } }>(
      base,
      'PodDisruptionBudget',
      'token-bridge',
    );
    expect(deployment.spec.replicas).toBeGreaterThan(1);
    expect(budget.spec.maxUnavailable).toBe(1);
    expect(selects(budget.spec.selector.matchLabels, podLabels(deployment))).toBe(true);
  });
});

describe('the Service', () => {
  it('exposes the vending port only, never the metrics port', () => {
    const deployment = deploymentOf(base);
    const service = find<Manifest & { spec: { selector: Record<string, string>; ports: { targetPort: string }[] } }>(
      base,
      'Service',
      'token-bridge',
    );
    expect(service.spec.ports.map((port) => port.targetPort)).toEqual(['http']);
    expect(selects(service.spec.selector, podLabels(deployment))).toBe(true);
  });
});

describe('the metrics port', () => {
  it('is METRICS_PORT, apart from SERVER_PORT, and the scrape annotations and the PodMonitor name it', () => {
    const deployment = deploymentOf(base);
    const env = plainEnvOf(containerOf(deployment));
    expect(String(portNumber(deployment, 'metrics'))).toBe(env['METRICS_PORT']);
    expect(env['METRICS_PORT']).not.toBe(env['SERVER_PORT']);
    expect(deployment.spec.template.metadata.annotations).toMatchObject({
      'prometheus.io/scrape': 'true',
      'prometheus.io/port': env['METRICS_PORT'],
      'prometheus.io/path': '/metrics',
    });
    const monitor = find<Manifest & { spec: { selector: { matchLabels: Record<string, string> }; podMetricsEndpoints: { port: string; path: string }[] } }>(
      withComponents,
      'PodMonitor',
      'token-bridge',
    );
    expect(monitor.spec.podMetricsEndpoints).toEqual([expect.objectContaining({ port: 'metrics', path: '/metrics' })]);
    expect(selects(monitor.spec.selector.matchLabels, podLabels(deploymentOf(withComponents)))).toBe(true);
  });
});

describe('the Ingress component', () => {
  it('ends TLS for its host and sends it to the vending Service port', () => {
    const ingress = find<Manifest & { spec: { tls: { hosts: string[] }[]; rules: { host: string; http: { paths: { backend: { service: { name: string; port: { name: string } } } }[] } }[] } }>(
      withComponents,
      'Ingress',
      'token-bridge',
    );
    const [rule] = ingress.spec.rules;
    expect(ingress.spec.tls.flatMap((tls) => tls.hosts)).toContain(rule?.host);
    expect(rule?.http.paths.map((path) => path.backend.service)).toEqual([{ name: 'token-bridge', port: { name: 'http' } }]);
  });
});

describe('the Valkey overlay', () => {
  it('points CACHE_TYPE=valkey at its Valkey Service, which selects the Valkey pods on the port it names', () => {
    const env = plainEnvOf(containerOf(deploymentOf(valkey)));
    expect(env['CACHE_TYPE']).toBe('valkey');
    const [host, port] = (env['VALKEY_ADDRESS'] ?? '').split(':');
    const service = find<Manifest & { spec: { selector: Record<string, string>; ports: { port: number; targetPort: string }[] } }>(
      valkey,
      'Service',
      host ?? '',
    );
    expect(service.spec.ports.map((p) => p.port)).toEqual([Number(port)]);
    const server = deploymentOf(valkey, 'token-bridge-valkey');
    expect(selects(service.spec.selector, podLabels(server))).toBe(true);
    expect(selects(service.spec.selector, podLabels(deploymentOf(valkey)))).toBe(false);
    expect(containerOf(server, 'valkey').ports?.map((p) => p.name)).toContain(service.spec.ports[0]?.targetPort);
  });

  it('admits only the bridge pods to Valkey', () => {
    const policy = find<Manifest & { spec: { podSelector: { matchLabels: Record<string, string> }; ingress: { from: { podSelector: { matchLabels: Record<string, string> } }[] }[] } }>(
      valkey,
      'NetworkPolicy',
      'token-bridge-valkey',
    );
    expect(selects(policy.spec.podSelector.matchLabels, podLabels(deploymentOf(valkey, 'token-bridge-valkey')))).toBe(true);
    const admitted = policy.spec.ingress.flatMap((rule) => rule.from.map((from) => from.podSelector.matchLabels));
    expect(admitted).toHaveLength(1);
    expect(selects(admitted[0], podLabels(deploymentOf(valkey)))).toBe(true);
  });
});
