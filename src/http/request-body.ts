import type { IncomingMessage } from 'node:http';
import { PayloadTooLargeError } from '../errors.js';

/** The largest body any route reads, as Chinmina: 20 KiB. */
export const bodyLimitBytes = 20 * 1024;

/**
 * Reads a request body as UTF-8 text, whatever its Content-Type, refusing more than
 * `limitBytes` ({@link PayloadTooLargeError}) without reading further.
 */
export async function readBodyText(request: IncomingMessage, limitBytes = bodyLimitBytes): Promise<string> {
  const declared = Number(request.headers['content-length']);
  if (Number.isFinite(declared) && declared > limitBytes) throw new PayloadTooLargeError(limitBytes);
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
