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
