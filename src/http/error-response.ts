import { STATUS_CODES } from 'node:http';
import type { FastifyReply } from 'fastify';
import type { BridgeError } from '../errors.js';

/** How a route answers: JSON (`/token…`) or git's credential format (`/git-credentials…`). */
export type RouteFormat = 'json' | 'git';

const invalidTokenChallenge =
  'Bearer realm="api", error="invalid_token", error_description="The access token is invalid"';
const invalidTokenBody = '{"error":"invalid_token","error_description":"The access token is invalid"}\n';

/**
 * Writes the public form of an error, as Chinmina's clients expect it: every invalid token
 * gets the same 401; request-shape errors a plain status line; other denials JSON on token
 * routes and a `Chinmina-Denied` header with an empty body on git routes. An error that
 * knows when the caller may come back sets `Retry-After`. The error's own message (the
 * detail) is never written.
 */
export function sendError(reply: FastifyReply, error: BridgeError, format: RouteFormat): FastifyReply {
  const { status, publicMessage, shape } = error.response;
  reply.code(status);
  const retryAfter = error.retryAfterSeconds;
  if (retryAfter !== undefined) reply.header('retry-after', String(retryAfter));
  switch (shape) {
    case 'challenge':
      return reply
        .header('www-authenticate', 'Bearer realm="api"')
        .type('application/json')
        .send('{"error":"invalid_token"}\n');
    case 'invalid-token':
      return reply.header('www-authenticate', invalidTokenChallenge).type('application/json').send(invalidTokenBody);
    case 'plain':
      return reply
        .type('text/plain; charset=utf-8')
        .header('x-content-type-options', 'nosniff')
        .send(`${STATUS_CODES[status] ?? 'Error'}\n`);
    case 'denial':
      if (format === 'json') return reply.type('application/json').send(`${JSON.stringify({ error: publicMessage })}\n`);
      return reply.header('chinmina-denied', publicMessage).type('text/plain').send('');
  }
}
