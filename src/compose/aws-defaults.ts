import { KMSClient } from '@aws-sdk/client-kms';
import type { AwsCredentials } from '../cache/elasticache-iam-token.js';

/**
 * The AWS SDK's standard configuration chain (environment, shared files, instance roles),
 * read through a client's resolved configuration so that every AWS use here (KMS, Secrets
 * Manager, ElastiCache IAM tokens) sees the same region and credentials.
 */
export function awsDefaults(): { region(): Promise<string>; credentials(): Promise<AwsCredentials> } {
  const config = new KMSClient({}).config;
  return {
    region: () => config.region(),
    credentials: async () => {
      const { accessKeyId, secretAccessKey, sessionToken } = await config.credentials();
      return { accessKeyId, secretAccessKey, sessionToken };
    },
  };
}

/** The region named in a KMS key or alias ARN (`arn:aws:kms:<region>:…`), if it is one. */
export function regionOfArn(arn: string): string | undefined {
  const parts = arn.split(':');
  return parts[0] === 'arn' && parts[2] === 'kms' && parts[3] !== '' ? parts[3] : undefined;
}
