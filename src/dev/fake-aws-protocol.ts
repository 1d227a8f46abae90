import { randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';

/** The content type of the AWS JSON 1.1 protocol, both ways. */
export const awsJsonContentType = 'application/x-amz-json-1.1';

/** A request body of the AWS JSON protocol: one JSON object. */
export type AwsInput = Readonly<Record<string, unknown>>;

/**
 * What a fake operation answers: a 200 body, or an AWS error that the SDK turns into its
 * modelled exception class by `__type`. Errors are values: the fake expects to send them.
 */
export type AwsReply =
  | { readonly ok: true; readonly body: Readonly<Record<string, unknown>> }
  | { readonly ok: false; readonly status: number; readonly type: string; readonly message: string };

/** One fake service behind the endpoint, picked by the `X-Amz-Target` prefix. */
export interface AwsJsonService {
  handle(operation: string, input: AwsInput): AwsReply;
}

/** A successful answer. */
export function awsOk(body: Readonly<Record<string, unknown>>): AwsReply {
  return { ok: true, body };
}

/** An AWS error answer; client errors (400) unless told otherwise. */
export function awsError(type: string, message: string, status = 400): AwsReply {
  return { ok: false, status, type, message };
}

/** The error AWS gives when a required member is missing or has the wrong type. */
export function missingMember(name: string): AwsReply {
  return awsError(
    'ValidationException',
    `1 validation error detected: Value null at '${name}' failed to satisfy constraint: Member must not be null`,
  );
}

/** Writes an {@link AwsReply} as AWS JSON 1.1 does, unless the client has already gone. */
export function sendAwsReply(res: ServerResponse, reply: AwsReply): void {
  if (res.destroyed || res.writableEnded) return;
  const status = reply.ok ? 200 : reply.status;
  const body = reply.ok ? reply.body : { __type: reply.type, message: reply.message };
  res
    .writeHead(status, { 'content-type': awsJsonContentType, 'x-amzn-requestid': randomUUID() })
    .end(JSON.stringify(body));
}

/** A string member, or undefined when absent or not a string. */
export function stringMember(input: AwsInput, name: string): string | undefined {
  const value = input[name];
  return typeof value === 'string' ? value : undefined;
}

/** A blob member (base64 on the wire), or undefined when absent or not a string. */
export function blobMember(input: AwsInput, name: string): Buffer | undefined {
  const value = stringMember(input, name);
  return value === undefined ? undefined : Buffer.from(value, 'base64');
}

/** A string-to-string map member (an encryption context); absent reads as empty. */
export function stringMapMember(input: AwsInput, name: string): ReadonlyMap<string, string> | undefined {
  const value = input[name];
  if (value === undefined) return new Map();
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const entries: [string, unknown][] = Object.entries(value);
  if (!entries.every((entry): entry is [string, string] => typeof entry[1] === 'string')) return undefined;
  return new Map(entries);
}

/** The body as an {@link AwsInput}, or undefined when it is not a JSON object. */
export function asAwsInput(value: unknown): AwsInput | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  return Object.fromEntries(Object.entries(value));
}
