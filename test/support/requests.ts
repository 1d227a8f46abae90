import type { FastifyInstance, LightMyRequestResponse } from 'fastify';

/** POSTs as Chinmina's clients do: a text/plain body and, when given, a bearer token. */
function post(app: FastifyInstance, url: string, token: string | undefined, body: string, accept: string) {
  return app.inject({
    method: 'POST',
    url,
    headers: {
      ...(token === undefined ? {} : { authorization: `Bearer ${token}` }),
      'content-type': 'text/plain',
      accept,
    },
    payload: body,
  });
}

/** POSTs to a route as Chinmina's token plugin does: an empty body. */
export function postToken(app: FastifyInstance, url: string, token: string | undefined): Promise<LightMyRequestResponse> {
  return post(app, url, token, '', 'application/json');
}

/** POSTs git's credential-helper input as the git-credentials plugin's helper does. */
export function postCredentials(
  app: FastifyInstance,
  url: string,
  token: string | undefined,
  body: string,
): Promise<LightMyRequestResponse> {
  return post(app, url, token, body, 'text/plain');
}

/** git's input for one repository on github.com. */
export const credentialInput = (path: string, host = 'github.com') => `protocol=https\nhost=${host}\npath=${path}\n`;

/**
 * Over a real socket (`app` listens on a free port), POSTs `/token` and hangs up after
 * `afterMs`, before the answer (the caller slows the upstream down). Resolves once the
 * client side has given up.
 */
export async function postTokenAndHangUp(app: FastifyInstance, token: string, afterMs = 100): Promise<void> {
  const url = await app.listen({ port: 0, host: '127.0.0.1' });
  const aborted = new AbortController();
  const request = fetch(`${url}/token`, { method: 'POST', headers: { authorization: `Bearer ${token}` }, signal: aborted.signal });
  setTimeout(() => aborted.abort(), afterMs);
  const outcome = await request.then(
    () => 'answered',
    () => 'aborted',
  );
  if (outcome !== 'aborted') throw new Error('the request was answered before the client hung up');
}
