import type { IncomingMessage, ServerResponse } from 'node:http';

/** Writes a JSON answer unless the client has already gone (for example after a delay). */
export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  if (res.destroyed || res.writableEnded) return;
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' }).end(JSON.stringify(body));
}

/** Writes a text/plain answer unless the client has already gone. */
export function sendText(res: ServerResponse, status: number, body: string): void {
  if (res.destroyed || res.writableEnded) return;
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8' }).end(body);
}

/** The result of reading a JSON body: parse failures are values, not exceptions. */
export type JsonBody = { readonly ok: true; readonly value: unknown } | { readonly ok: false };

/**
 * Reads and parses a JSON request body of at most `limitBytes`. An empty body reads as
 * `{}` (GitHub accepts an access-token request without a body).
 */
export async function readJsonBody(req: IncomingMessage, limitBytes = 1024 * 1024): Promise<JsonBody> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    // Readable yields Buffers unless an encoding is set, and we never set one.
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > limitBytes) return { ok: false };
    chunks.push(buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8').trim();
  if (text === '') return { ok: true, value: {} };
  try {
    const value: unknown = JSON.parse(text);
    return { ok: true, value };
  } catch {
    // A malformed body is the caller's mistake; the stand-in answers 400 for it.
    return { ok: false };
  }
}
