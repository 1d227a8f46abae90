// Apart from the loader, so that configuration can check the URIs without loading the AWS SDK.

const secretsPrefix = 'aws-secretsmanager://';
const kmsPrefix = 'aws-kms://';
/** Tink's AWS KMS client takes the region from the ARN, so anything else cannot work. */
const kmsArnPattern = /^arn:aws[a-zA-Z0-9-]*:kms:[a-z0-9-]+:/;

/** Where a Tink keyset encrypted with a KMS key lives, as configured. */
export interface AwsKeysetUris {
  /** `aws-secretsmanager://<name>` (`CACHE_ENCRYPTION_KEYSET_URI`). */
  readonly secretUri: string;
  /** `aws-kms://<key ARN>` (`CACHE_ENCRYPTION_KMS_ENVELOPE_KEY_URI`). */
  readonly kmsKeyUri: string;
}

/** The validated {@link AwsKeysetUris}: what the AWS calls take. */
export interface AwsKeysetLocation {
  /** The `SecretId` of GetSecretValue. */
  readonly secretName: string;
  /** The `KeyId` of KMS Decrypt. */
  readonly kmsKeyArn: string;
}

export type AwsKeysetUrisResult =
  | { readonly ok: true; readonly location: AwsKeysetLocation }
  | { readonly ok: false; readonly problems: readonly string[] };

/**
 * Checks both URIs as Chinmina does, reporting every problem: `invalid secrets manager URI
 * "<u>": must start with aws-secretsmanager://` or `...: secret name is empty`, and
 * `invalid KMS key URI "<u>": must start with aws-kms://`, `...: key ARN is empty` or
 * `...: must name a KMS key ARN (arn:<partition>:kms:<region>:…)`.
 */
export function parseAwsKeysetUris(uris: AwsKeysetUris): AwsKeysetUrisResult {
  const problems: string[] = [];
  const { secretUri, kmsKeyUri } = uris;
  const secretName = secretUri.slice(secretsPrefix.length);
  const kmsKeyArn = kmsKeyUri.slice(kmsPrefix.length);
  if (!secretUri.startsWith(secretsPrefix)) {
    problems.push(`invalid secrets manager URI "${secretUri}": must start with ${secretsPrefix}`);
  } else if (secretName === '') problems.push(`invalid secrets manager URI "${secretUri}": secret name is empty`);
  if (!kmsKeyUri.startsWith(kmsPrefix)) problems.push(`invalid KMS key URI "${kmsKeyUri}": must start with ${kmsPrefix}`);
  else if (kmsKeyArn === '') problems.push(`invalid KMS key URI "${kmsKeyUri}": key ARN is empty`);
  else if (!kmsArnPattern.test(kmsKeyArn)) {
    problems.push(`invalid KMS key URI "${kmsKeyUri}": must name a KMS key ARN (arn:<partition>:kms:<region>:…)`);
  }
  return problems.length > 0 ? { ok: false, problems } : { ok: true, location: { secretName, kmsKeyArn } };
}
