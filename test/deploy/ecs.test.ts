import { describe, expect, it } from 'vitest';
import { parseAwsKeysetUris } from '../../src/cache/encryption/aws-keyset-uris.js';
import { loadConfig, type Config } from '../../src/config/load-config.js';
import { telemetryFlushTimeoutMs } from '../../src/main.js';
import { dockerfile, instructionsOf, readRepoFile, secretVariables, unknownVariables } from './deploy-files.js';

interface ContainerDefinition {
  readonly name: string;
  readonly essential: boolean;
  readonly user: string;
  readonly readonlyRootFilesystem: boolean;
  readonly linuxParameters: { readonly capabilities: { readonly drop: readonly string[] } };
  readonly portMappings: readonly { readonly name: string; readonly containerPort: number }[];
  readonly environment: readonly { readonly name: string; readonly value: string }[];
  readonly secrets: readonly { readonly name: string; readonly valueFrom: string }[];
  readonly healthCheck: { readonly command: readonly string[] };
  readonly stopTimeout: number;
  readonly logConfiguration: { readonly logDriver: string; readonly options: Record<string, string> };
}
interface Statement {
  readonly Effect: string;
  readonly Action: string | readonly string[];
  readonly Resource: string | readonly string[];
  readonly Condition?: Record<string, Record<string, string>>;
}

// The shapes are what AWS reads; the assertions below fail with a clear diff on another.
const ecsFile = <T>(name: string): T => JSON.parse(readRepoFile(`deploy/ecs/${name}`)) as T;
const taskDefinition = ecsFile<{
  requiresCompatibilities: string[];
  networkMode: string;
  cpu: string;
  memory: string;
  containerDefinitions: ContainerDefinition[];
}>('task-definition.json');
const statementsOf = (name: string) => ecsFile<{ Statement: Statement[] }>(name).Statement;
const targetGroup = ecsFile<{ Port: number; Protocol: string; TargetType: string; HealthCheckPath: string; Matcher: { HttpCode: string } }>('target-group.json');
const ecsService = ecsFile<{
  launchType: string;
  desiredCount: number;
  loadBalancers: { containerName: string; containerPort: number }[];
  deploymentConfiguration: { minimumHealthyPercent: number };
}>('service.json');

const [container] = taskDefinition.containerDefinitions as [ContainerDefinition];
const environment = Object.fromEntries(container.environment.map(({ name, value }) => [name, value]));

/** Fargate's CPU units and the memory (MiB) each allows. */
const fargateMemoryMiB: Record<string, (memory: number) => boolean> = {
  '256': (m) => [512, 1024, 2048].includes(m),
  '512': (m) => m >= 1024 && m <= 4096 && m % 1024 === 0,
  '1024': (m) => m >= 2048 && m <= 8192 && m % 1024 === 0,
};

/** Whether an IAM resource pattern (`*`, `?` wildcards) covers `arn`. */
const covers = (pattern: string, arn: string) =>
  new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`).test(arn);
const allowing = (statements: Statement[], action: string) =>
  statements.filter((s) => s.Effect === 'Allow' && [s.Action].flat().includes(action));
const resourcesOf = (statements: Statement[]) => statements.flatMap((s) => [s.Resource].flat());

function loadedConfig(): Config {
  const env = { ...environment, ...Object.fromEntries(container.secrets.map(({ name }) => [name, 'from-secrets-manager'])) };
  const loaded = loadConfig(env, (path) => {
    throw new Error(`the task reads no file, yet ${path} was asked for`);
  });
  if (!loaded.ok) throw new Error(loaded.problems.join('; '));
  return loaded.config;
}

describe('deploy/ecs/task-definition.json', () => {
  it('is a Fargate task of one essential container, at a CPU and memory Fargate offers', () => {
    expect(taskDefinition).toMatchObject({ requiresCompatibilities: ['FARGATE'], networkMode: 'awsvpc' });
    expect(taskDefinition.containerDefinitions).toHaveLength(1);
    expect(container).toMatchObject({ name: 'token-bridge', essential: true });
    expect(fargateMemoryMiB[taskDefinition.cpu]?.(Number(taskDefinition.memory))).toBe(true);
  });

  it('runs the container as the image user, read-only, without capabilities', () => {
    expect(container.user).toMatch(/^1000(:1000)?$/);
    expect(container.readonlyRootFilesystem).toBe(true);
    expect(container.linuxParameters.capabilities.drop).toEqual(['ALL']);
  });

  it('names only schema variables, and takes every secret one from Secrets Manager', () => {
    expect(unknownVariables([...Object.keys(environment), ...container.secrets.map((s) => s.name)])).toEqual([]);
    expect(Object.keys(environment).filter((name) => secretVariables.includes(name))).toEqual([]);
    for (const secret of container.secrets) expect(secret.valueFrom).toMatch(/^arn:aws:secretsmanager:/);
  });

  it('is a configuration the service accepts: App key in KMS, Valkey with IAM and TLS, encryption from AWS', () => {
    const config = loadedConfig();
    expect(config.github.privateKey).toBeUndefined();
    expect(config.github.privateKeyArn).toMatch(/^arn:aws:kms:[a-z0-9-]+:\d{12}:alias\//);
    expect(config.cache.shared).toMatchObject({ tls: true, iam: { serverless: false }, encryption: { kind: 'aws' } });
    expect(config.profiles.location?.kind).toBe('github');
  });

  it('maps SERVER_PORT and METRICS_PORT, and checks liveness with the image’s own health check', () => {
    expect(container.portMappings.map(({ name, containerPort }) => [name, String(containerPort)])).toEqual([
      ['http', environment['SERVER_PORT']],
      ['metrics', environment['METRICS_PORT']],
    ]);
    const imageCheck = instructionsOf(dockerfile().final, 'HEALTHCHECK')[0]?.exec;
    expect(container.healthCheck.command).toEqual(['CMD', ...(imageCheck ?? ['missing'])]);
  });

  it('gives the drain and the last telemetry export time to finish before ECS kills the container', () => {
    const drainSecs = Number(environment['SERVER_SHUTDOWN_TIMEOUT_SECS'] ?? 25);
    expect(container.stopTimeout).toBeGreaterThan(drainSecs + telemetryFlushTimeoutMs / 1000);
    expect(container.stopTimeout).toBeLessThanOrEqual(120); // Fargate's maximum
  });

  it('sends its output, audit records included, to CloudWatch Logs without dropping lines', () => {
    expect(container.logConfiguration.logDriver).toBe('awslogs');
    expect(Object.keys(container.logConfiguration.options).sort()).toEqual(
      ['awslogs-group', 'awslogs-region', 'awslogs-stream-prefix', 'mode'].sort(),
    );
    expect(container.logConfiguration.options['mode']).toBe('blocking');
  });
});

describe('deploy/ecs/task-role-policy.json', () => {
  const statements = statementsOf('task-role-policy.json');

  it('allows exactly what the service calls, never on every resource', () => {
    const actions = statements.flatMap((s) => [s.Action].flat()).sort();
    expect(actions).toEqual(['elasticache:Connect', 'kms:Decrypt', 'kms:Sign', 'secretsmanager:GetSecretValue']);
    expect(statements.every((s) => s.Effect === 'Allow')).toBe(true);
    expect(resourcesOf(statements)).not.toContain('*');
  });

  it('signs only with the key behind the App key alias, the way the service signs', () => {
    const arn = loadedConfig().github.privateKeyArn ?? '';
    const [sign] = allowing(statements, 'kms:Sign');
    expect(sign?.Condition?.['ForAnyValue:StringEquals']?.['kms:ResourceAliases']).toBe(arn.slice(arn.indexOf('alias/')));
    expect(sign?.Condition?.['StringEquals']).toEqual({ 'kms:SigningAlgorithm': 'RSASSA_PKCS1_V1_5_SHA_256', 'kms:MessageType': 'DIGEST' });
    expect(covers(String(sign?.Resource), arn.replace(/alias\/.*/, 'key/1234abcd-12ab-34cd-56ef-1234567890ab'))).toBe(true);
  });

  it('reads and decrypts the cache keyset the task names, and nothing else', () => {
    const encryption = loadedConfig().cache.shared?.encryption;
    if (encryption?.kind !== 'aws') throw new Error('no AWS keyset');
    const parsed = parseAwsKeysetUris({ secretUri: encryption.keysetUri, kmsKeyUri: encryption.kmsKeyUri });
    if (!parsed.ok) throw new Error(parsed.problems.join('; '));
    const { secretName, kmsKeyArn } = parsed.location;
    expect(resourcesOf(allowing(statements, 'kms:Decrypt'))).toEqual([kmsKeyArn]);
    const [secretResource = ''] = resourcesOf(allowing(statements, 'secretsmanager:GetSecretValue'));
    // Secrets Manager ARNs end in a dash and six random characters.
    expect(covers(secretResource, `arn:aws:secretsmanager:eu-west-1:111122223333:secret:${secretName}-AbCdEf`)).toBe(true);
    expect(covers(secretResource, `arn:aws:secretsmanager:eu-west-1:111122223333:secret:${secretName}-other-AbCdEf`)).toBe(false);
  });

  it('connects to the replication group and user the task authenticates as', () => {
    const resources = resourcesOf(allowing(statements, 'elasticache:Connect'));
    expect(resources.map((arn) => arn.split(':').slice(5).join(':')).sort()).toEqual([
      `replicationgroup:${environment['VALKEY_IAM_CACHE_NAME'] ?? ''}`,
      `user:${environment['VALKEY_USERNAME'] ?? ''}`,
    ]);
  });
});

describe('deploy/ecs/execution-role-policy.json', () => {
  const statements = statementsOf('execution-role-policy.json');

  it('lets ECS inject each secret the task names and write to its log group', () => {
    const secretResources = resourcesOf(allowing(statements, 'secretsmanager:GetSecretValue'));
    for (const { valueFrom } of container.secrets) expect(secretResources.some((r) => covers(r, valueFrom)), valueFrom).toBe(true);
    const group = container.logConfiguration.options['awslogs-group'] ?? '';
    const logResources = resourcesOf(allowing(statements, 'logs:PutLogEvents'));
    expect(logResources.some((r) => covers(r, `arn:aws:logs:eu-west-1:111122223333:log-group:${group}:log-stream:x`))).toBe(true);
  });
});

describe('deploy/ecs/target-group.json and service.json', () => {
  it('route to the container port on readiness, /healthcheck, which answers 200 only while the task vends', () => {
    expect(targetGroup).toMatchObject({ Protocol: 'HTTP', TargetType: 'ip', HealthCheckPath: '/healthcheck', Matcher: { HttpCode: '200' } });
    expect(String(targetGroup.Port)).toBe(environment['SERVER_PORT']);
    expect(ecsService.loadBalancers).toEqual([{ targetGroupArn: expect.any(String), containerName: container.name, containerPort: targetGroup.Port }]);
  });

  it('runs several tasks on Fargate and keeps every one until its replacement is healthy', () => {
    expect(ecsService.launchType).toBe('FARGATE');
    expect(ecsService.desiredCount).toBeGreaterThan(1);
    expect(ecsService.deploymentConfiguration.minimumHealthyPercent).toBe(100);
  });
});
