import type { KMSClient } from '@aws-sdk/client-kms';
import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { AwsCredentials } from '../cache/elasticache-iam-token.js';

/**
 * The AWS clients of one service, each made once: KMS per
 * region (the App key's ARN names its region; the keyset's key uses the default chain's),
 * Secrets Manager, and the standard configuration chain (environment, shared files,
 * instance roles) read through the default KMS client, so every AWS use here (KMS, Secrets
 * Manager, ElastiCache IAM tokens) sees the same region and credentials.
 */
export interface AwsClients {
  kms(region?: string): KMSClient;
  secretsManager(): SecretsManagerClient;
  region(): Promise<string>;
  credentials(): Promise<AwsCredentials>;
}

/** The AWS clients, loaded on first use: a service configured without AWS never loads the SDK. */
export type LoadAwsClients = () => Promise<AwsClients>;

export function lazyAwsClients(): LoadAwsClients {
  let loading: Promise<AwsClients> | undefined;
  return () => (loading ??= loadAwsClients());
}

async function loadAwsClients(): Promise<AwsClients> {
  const [{ KMSClient }, { SecretsManagerClient }] = await Promise.all([
    import('@aws-sdk/client-kms'),
    import('@aws-sdk/client-secrets-manager'),
  ]);
  const kmsByRegion = new Map<string, KMSClient>();
  let secrets: SecretsManagerClient | undefined;
  const kms = (region?: string) => {
    const key = region ?? '';
    let client = kmsByRegion.get(key);
    if (client === undefined) {
      client = new KMSClient(region === undefined ? {} : { region });
      kmsByRegion.set(key, client);
    }
    return client;
  };
  return {
    kms,
    secretsManager: () => (secrets ??= new SecretsManagerClient({})),
    region: () => kms().config.region(),
    credentials: async () => {
      const { accessKeyId, secretAccessKey, sessionToken } = await kms().config.credentials();
      return { accessKeyId, secretAccessKey, sessionToken };
    },
  };
}

/** The region named in a KMS key or alias ARN (`arn:aws:kms:<region>:…`), if it is one. */
export function regionOfArn(arn: string): string | undefined {
  const parts = arn.split(':');
  return parts[0] === 'arn' && parts[2] === 'kms' && parts[3] !== '' ? parts[3] : undefined;
}
