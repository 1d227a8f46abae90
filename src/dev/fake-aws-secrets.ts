import { randomBytes, randomUUID } from 'node:crypto';
import { awsError, awsOk, missingMember, stringMember, type AwsInput, type AwsReply } from './fake-aws-protocol.js';

/** A secret the fake holds, as a test names it. */
export interface FakeSecret {
  readonly name: string;
  /** `arn:aws:secretsmanager:<region>:<account>:secret:<name>-<6 random characters>`. */
  readonly arn: string;
}

/** The Secrets Manager half of the fake, as tests drive it. */
export interface FakeSecretsManager {
  /** Creates the secret, or gives it a new current version, holding `SecretString`. */
  setSecret(name: string, secretString: string): FakeSecret;
  /** As {@link setSecret}, with `SecretBinary` only (no `SecretString`). */
  setSecretBinary(name: string, secretBinary: Uint8Array): FakeSecret;
  /** Removes the secret; it then answers `ResourceNotFoundException`. */
  deleteSecret(name: string): void;
  /** Secrets Manager requests received so far, whatever they were answered. */
  readonly requests: number;
}

/** A fake Secrets Manager: the handle tests use, and the dispatcher the server calls. */
export interface FakeSecretsManagerService {
  readonly api: FakeSecretsManager;
  handle(operation: string, input: AwsInput): AwsReply;
}

interface StoredSecret extends FakeSecret {
  readonly versionId: string;
  readonly value: { readonly SecretString: string } | { readonly SecretBinary: string };
}

const notFoundMessage = "Secrets Manager can't find the specified secret.";

/** Creates a fake Secrets Manager with no secrets, whose ARNs carry `region` and `accountId`. */
export function createFakeSecretsManager(where: {
  readonly region: string;
  readonly accountId: string;
}): FakeSecretsManagerService {
  const secrets = new Map<string, StoredSecret>();
  const state = { requests: 0 };

  const store = (name: string, value: StoredSecret['value']): FakeSecret => {
    // AWS appends six random characters so a recreated secret gets a new ARN.
    const arn =
      secrets.get(name)?.arn ??
      `arn:aws:secretsmanager:${where.region}:${where.accountId}:secret:${name}-${randomBytes(3).toString('hex')}`;
    secrets.set(name, { name, arn, versionId: randomUUID(), value });
    return { name, arn };
  };

  const getSecretValue = (input: AwsInput): AwsReply => {
    const secretId = stringMember(input, 'SecretId');
    if (secretId === undefined) return missingMember('secretId');
    const secret = secrets.get(secretId) ?? [...secrets.values()].find((candidate) => candidate.arn === secretId);
    const stage = stringMember(input, 'VersionStage') ?? 'AWSCURRENT';
    const versionId = stringMember(input, 'VersionId') ?? secret?.versionId;
    if (secret === undefined || stage !== 'AWSCURRENT' || versionId !== secret.versionId) {
      return awsError('ResourceNotFoundException', notFoundMessage);
    }
    return awsOk({
      ARN: secret.arn,
      Name: secret.name,
      VersionId: secret.versionId,
      VersionStages: ['AWSCURRENT'],
      ...secret.value,
    });
  };

  return {
    api: {
      setSecret: (name, secretString) => store(name, { SecretString: secretString }),
      setSecretBinary: (name, secretBinary) => store(name, { SecretBinary: Buffer.from(secretBinary).toString('base64') }),
      deleteSecret: (name) => {
        secrets.delete(name);
      },
      get requests() {
        return state.requests;
      },
    },
    handle: (operation, input) => {
      state.requests += 1;
      if (operation === 'GetSecretValue') return getSecretValue(input);
      return awsError('UnknownOperationException', `the fake Secrets Manager does not implement ${operation}`);
    },
  };
}
