import type { IncomingMessage, ServerResponse } from 'node:http';
import { createFakeKms, type FakeKms } from './fake-aws-kms.js';
import {
  asAwsInput,
  awsError,
  awsJsonContentType,
  sendAwsReply,
  type AwsJsonService,
  type AwsReply,
} from './fake-aws-protocol.js';
import { createFakeSecretsManager, type FakeSecretsManager } from './fake-aws-secrets.js';
import { createFaultInjector } from './fault-injector.js';
import { readJsonBody } from './send-json.js';
import { startHttpServer, type ListenOptions, type StandInHandle } from './start-http-server.js';

export type { FakeKms, FakeKmsKey, FakeKmsSigningKey, RecordedKmsRequest } from './fake-aws-kms.js';
export type { FakeSecret, FakeSecretsManager } from './fake-aws-secrets.js';

/** A running fake of AWS KMS and Secrets Manager on one endpoint. */
export interface FakeAws extends StandInHandle {
  /** The region every ARN names; configure clients with it. */
  readonly region: 'us-east-1';
  /** The account every ARN names. */
  readonly accountId: string;
  readonly kms: FakeKms;
  readonly secrets: FakeSecretsManager;
  /**
   * Delays every answer by `ms` (0 = none), for timeout tests: the request is served (and
   * counted) at once, only its answer is held back; closing the server ends the delay.
   */
  setDelayMs(ms: number): void;
}

const region = 'us-east-1';
const accountId = '000000000000';
/** How the SDK's SigV4 signer starts the header; the signature itself is not checked. */
const sigV4Scheme = 'AWS4-HMAC-SHA256 ';

/**
 * Starts one HTTP server speaking the AWS JSON 1.1 protocol as the AWS SDK sends it:
 * `POST /` with `X-Amz-Target: TrentService.<Op>` (KMS: Sign, GetPublicKey, Encrypt,
 * Decrypt) or `secretsmanager.<Op>` (GetSecretValue). Any SigV4 `Authorization` header is
 * accepted, but one must be present, so an unsigned client fails here as it would on AWS.
 * Errors are AWS JSON errors (`{"__type", "message"}`, HTTP 400 unless scripted), which the
 * SDK turns into its modelled exception classes.
 */
export async function startFakeAws(options: ListenOptions = {}): Promise<FakeAws> {
  const kms = createFakeKms({ region, accountId });
  const secrets = createFakeSecretsManager({ region, accountId });
  const faults = createFaultInjector();
  const services = new Map<string, AwsJsonService>([
    ['TrentService', kms],
    ['secretsmanager', secrets],
  ]);

  const answer = async (req: IncomingMessage): Promise<AwsReply> => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    if (req.method !== 'POST' || path !== '/') return awsError('UnknownOperationException', 'not an AWS JSON request', 404);
    if (!req.headers.authorization?.startsWith(sigV4Scheme)) {
      return awsError('MissingAuthenticationTokenException', 'Missing Authentication Token');
    }
    const contentType = req.headers['content-type']?.split(';')[0]?.trim();
    if (contentType !== awsJsonContentType) {
      return awsError('SerializationException', `content type must be ${awsJsonContentType}`);
    }
    const target = req.headers['x-amz-target'];
    const [prefix = '', operation = ''] = typeof target === 'string' ? target.split('.', 2) : [];
    const service = services.get(prefix);
    if (service === undefined) return awsError('UnknownOperationException', `unknown target "${String(target)}"`);
    const body = await readJsonBody(req);
    const input = body.ok ? asAwsInput(body.value) : undefined;
    if (input === undefined) return awsError('SerializationException', 'the body must be a JSON object');
    return service.handle(operation, input);
  };

  const handle = async (req: IncomingMessage, res: ServerResponse, signal: AbortSignal): Promise<void> => {
    const reply = await answer(req);
    await faults.delay(signal);
    sendAwsReply(res, reply);
  };

  const server = await startHttpServer(handle, options);
  return {
    url: server.url,
    close: server.close,
    region,
    accountId,
    kms: kms.api,
    secrets: secrets.api,
    setDelayMs: (ms) => faults.setDelayMs(ms),
  };
}
