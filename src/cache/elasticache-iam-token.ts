import { Sha256 } from '@aws-crypto/sha256-js';
import { HttpRequest, type IHttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import { BridgeError, InternalError, UpstreamFailedError } from '../errors.js';
import type { Clock } from '../lib/clock.js';

/** AWS credentials as the SDK's providers resolve them. */
export interface AwsCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string | undefined;
}

/** Resolves the current AWS credentials; the SDK's default chain fits this shape. */
export type AwsCredentialsProvider = () => Promise<AwsCredentials>;

/** Hands out a newly signed ElastiCache IAM auth token, the AUTH password for one connection. */
export type ElastiCacheAuthTokenSource = () => Promise<string>;

export interface ElastiCacheAuthTokenOptions {
  /** The replication group id, or the serverless cache name. */
  readonly cacheName: string;
  /** The ElastiCache user id; also the AUTH username. */
  readonly userId: string;
  /** The cache is an ElastiCache Serverless cache, not a replication group. */
  readonly serverless: boolean;
  readonly region: string;
  readonly credentials: AwsCredentialsProvider;
  readonly clock: Clock;
}

/** ElastiCache accepts IAM tokens for 15 minutes; a token only has to outlive the AUTH. */
const tokenLifetimeSecs = 900;

/**
 * botocore's order (operation parameters, then these, then the signature), which is how
 * AWS's own examples print a token. The server sorts the query before checking the
 * signature, so the order only keeps our tokens byte-comparable with theirs.
 */
const authParamOrder = [
  'X-Amz-Algorithm',
  'X-Amz-Credential',
  'X-Amz-Date',
  'X-Amz-Expires',
  'X-Amz-SignedHeaders',
  'X-Amz-Security-Token',
];
const signatureParam = 'X-Amz-Signature';

/**
 * The ElastiCache IAM auth token source: each call presigns (SigV4, query string, service
 * `elasticache`) `GET http://<cacheName>/?Action=connect&User=<userId>` (plus
 * `ResourceType=ServerlessCache` for a serverless cache), valid 900 s from the clock's now,
 * with the empty-payload hash, and returns the presigned URL without `http://`.
 *
 * Every call resolves the credentials and signs anew, so a connection opened after the
 * credentials rotated never presents a stale signature; nothing is cached here.
 *
 * Throws {@link InternalError} at once if `cacheName`, `userId` or `region` is empty. A
 * call rejects with {@link UpstreamFailedError} (`aws`, `credentials`) when the provider
 * fails, and with {@link InternalError} when signing fails.
 */
export function createElastiCacheAuthToken(options: ElastiCacheAuthTokenOptions): ElastiCacheAuthTokenSource {
  const { cacheName, userId, region, clock } = options;
  requireValue('cacheName', cacheName);
  requireValue('userId', userId);
  requireValue('region', region);
  const operationParams: Record<string, string> = { Action: 'connect', User: userId };
  if (options.serverless) operationParams['ResourceType'] = 'ServerlessCache';

  const signer = new SignatureV4({
    service: 'elasticache',
    region,
    credentials: () => resolveCredentials(options.credentials),
    sha256: Sha256,
  });

  return async () => {
    const request = new HttpRequest({
      method: 'GET',
      protocol: 'http:',
      hostname: cacheName,
      path: '/',
      query: { ...operationParams },
      headers: { host: cacheName },
    });
    let signed: IHttpRequest;
    try {
      signed = await signer.presign(request, { signingDate: new Date(clock.nowMs()), expiresIn: tokenLifetimeSecs });
    } catch (error) {
      if (error instanceof BridgeError) throw error;
      throw new InternalError('could not presign the ElastiCache IAM auth token', { cause: error });
    }
    return `${cacheName}/?${serializeQuery(signed.query ?? {}, Object.keys(operationParams))}`;
  };
}

function requireValue(name: string, value: string): void {
  if (value === '') throw new InternalError(`iamcacheauth: ${name} must not be empty`);
}

/** The provider's credentials in the signer's shape; a failure is the AWS side's. */
async function resolveCredentials(provider: AwsCredentialsProvider) {
  let credentials: AwsCredentials;
  try {
    credentials = await provider();
  } catch (error) {
    if (error instanceof BridgeError) throw error;
    throw new UpstreamFailedError('aws', 'credentials', 'could not resolve AWS credentials', { cause: error });
  }
  const { accessKeyId, secretAccessKey, sessionToken } = credentials;
  return sessionToken === undefined ? { accessKeyId, secretAccessKey } : { accessKeyId, secretAccessKey, sessionToken };
}

/**
 * The signed query in botocore's order. Any parameter the signer adds that we do not know
 * still goes in (before the signature): it was signed, so dropping it would void the token.
 */
function serializeQuery(query: NonNullable<IHttpRequest['query']>, operationParamNames: readonly string[]): string {
  const known = [...operationParamNames, ...authParamOrder, signatureParam];
  const unknown = Object.keys(query).filter((name) => !known.includes(name));
  if (typeof query[signatureParam] !== 'string') throw new InternalError('the presigned query has no signature');
  const pairs: string[] = [];
  for (const name of [...operationParamNames, ...authParamOrder, ...unknown, signatureParam]) {
    const value = query[name];
    if (value === undefined) continue;
    if (typeof value !== 'string') throw new InternalError(`presigned query parameter ${name} is not a single value`);
    pairs.push(`${encodeRfc3986(name)}=${encodeRfc3986(value)}`);
  }
  return pairs.join('&');
}

/** SigV4's URI encoding: everything but the RFC 3986 unreserved characters is escaped. */
function encodeRfc3986(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}
