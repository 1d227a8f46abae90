import type { IncomingHttpHeaders } from 'node:http';
import type { FastifyInstance } from 'fastify';

/**
 * Leaves every request body unread by fastify (see below), and makes a response close its
 * connection (`Connection: close`; Node ends and frees the socket once the answer is
 * written) when keeping it would let a client hold the server:
 *
 * - the request's body was not read, as when a 401 is sent from `onRequest`: keeping the
 *   connection would mean reading and discarding whatever body the client still sends, so a
 *   client that declares a large body and trickles it holds the socket (and a drain) for as
 *   long as it likes;
 * - `draining()` says the instance is draining, so keep-alive clients cannot hold it open
 *   past the requests it is finishing.
 */
export function closeConnectionsThatCouldLinger(app: FastifyInstance, draining: () => boolean = () => false): void {
  leaveBodiesUnread(app);
  // A callback hook, not an async one: it runs on every answer, and needs no promise.
  app.addHook('onSend', (request, reply, payload, done) => {
    // `complete` is false while body bytes are still to come; injected requests have no such
    // flag (undefined), and they have no connection to free either. A request that declares
    // no body (a keep-alive GET /healthcheck) can still read false here, answered before
    // Node marks its message complete: it keeps its connection, as there is nothing to read.
    const bodyUnread = request.raw.complete === false && declaresBody(request.raw.headers);
    if (bodyUnread || draining()) reply.header('connection', 'close');
    done(null, payload);
  });
}

/** Whether a request's headers announce body bytes (chunked, or a non-zero length). */
function declaresBody(headers: IncomingHttpHeaders): boolean {
  const length = headers['content-length'];
  return headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
}

/**
 * No route of `app` has fastify read a body: none but the vending handlers needs one, and
 * they read it themselves, within the body limit, after authentication. Otherwise a 404 or
 * 405 would first wait for whatever body the client declared (up to the request timeout),
 * and a client trickling one could hold the connection, and a drain, for that long.
 */
function leaveBodiesUnread(app: FastifyInstance): void {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', (_request, _payload, done) => done(null, undefined));
}
