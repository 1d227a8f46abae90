import type { IncomingMessage } from 'node:http';
import { PayloadTooLargeError, RequestInvalidError } from '../errors.js';

/** The largest body any route reads, as Chinmina: 20 KiB. */
export const bodyLimitBytes = 20 * 1024;

export interface BodyReadOptions {
  /** How long the whole body may take to arrive (`SERVER_REQUEST_BODY_TIMEOUT_SECS`). */
  readonly timeoutMs: number;
  readonly limitBytes?: number;
}

/**
 * Reads a request body as UTF-8 text, whatever its Content-Type, refusing more than
 * `limitBytes` ({@link PayloadTooLargeError}) without reading further, and a body that has
 * not fully arrived within `timeoutMs` ({@link RequestInvalidError}): an authenticated
 * client trickling its body must not hold the connection, or a drain, for longer. The
 * answer to either leaves the rest unread, so its connection is closed.
 */
export async function readBodyText(request: IncomingMessage, options: BodyReadOptions): Promise<string> {
  const limitBytes = options.limitBytes ?? bodyLimitBytes;
  const declared = Number(request.headers['content-length']);
  if (Number.isFinite(declared) && declared > limitBytes) throw new PayloadTooLargeError(limitBytes);
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new RequestInvalidError('request body not received in time')), options.timeoutMs);
  });
  const reading = readAll(request, limitBytes);
  // Once the deadline has answered, the abandoned read ends with the connection; nothing awaits it.
  reading.catch(() => undefined);
  try {
    return await Promise.race([reading, late]);
  } finally {
    clearTimeout(timer);
  }
}

async function readAll(request: IncomingMessage, limitBytes: number): Promise<string> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of request) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
    total += buffer.length;
    if (total > limitBytes) throw new PayloadTooLargeError(limitBytes);
    chunks.push(buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}
