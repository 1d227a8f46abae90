import type { FastifyRequest } from 'fastify';

// `http://host[:port]` or `https://…` at the start of an absolute-form request target.
const absoluteFormOrigin = /^https?:\/\/[^/?#]*/i;

/**
 * The path the router matched: the request target without its query and, for an
 * absolute-form request line (`POST http://evil.com/token HTTP/1.1`, which HTTP/1.1 servers
 * must accept and which the router serves by its path), without its scheme and authority.
 * So an audit record or span never carries a host the caller chose in place of a path.
 */
export function requestPathOf(request: FastifyRequest): string {
  const target = request.url;
  const origin = target.startsWith('/') ? undefined : absoluteFormOrigin.exec(target);
  const pathAndQuery = origin === undefined || origin === null ? target : target.slice(origin[0].length);
  const path = pathAndQuery.split('?')[0] ?? '';
  return path.startsWith('/') ? path : `/${path}`;
}
