import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

/** Status recorded for a request whose client hung up before the answer was sent. */
export const clientClosedStatus = 499;

/** How a request ended: with its response's status, or with the client gone first (499). */
export interface RequestEnd {
  readonly status: number;
  readonly clientClosed: boolean;
}

export type RequestEndListener = (request: FastifyRequest, reply: FastifyReply, end: RequestEnd) => void;

/**
 * Tells every listener, in order, exactly once per request, how it ended. fastify runs no
 * `onResponse` for a client that hung up, so one `close` listener per request catches
 * those; some transports (light-my-request) also emit `close` unfinished after the answer,
 * which must not count twice. With no listener, no hook is added at all.
 */
export function watchRequestEnds(app: FastifyInstance, listeners: readonly RequestEndListener[]): void {
  if (listeners.length === 0) return;
  const ended = new WeakSet<FastifyRequest>();
  const finish = (request: FastifyRequest, reply: FastifyReply, end: RequestEnd) => {
    if (ended.has(request)) return;
    ended.add(request);
    for (const listener of listeners) listener(request, reply, end);
  };
  // Callback hooks, not async ones: no promise per request for work that never waits.
  app.addHook('onRequest', (request, reply, done) => {
    reply.raw.once('close', () => {
      if (!reply.raw.writableFinished) finish(request, reply, { status: clientClosedStatus, clientClosed: true });
    });
    done();
  });
  app.addHook('onResponse', (request, reply, done) => {
    finish(request, reply, { status: reply.statusCode, clientClosed: false });
    done();
  });
}
