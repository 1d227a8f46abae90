import type { FastifyInstance, LightMyRequestResponse } from 'fastify';

/** POSTs to a route as Chinmina's token plugin does: empty body, text/plain, a bearer token. */
export function postToken(app: FastifyInstance, url: string, token: string | undefined): Promise<LightMyRequestResponse> {
  return app.inject({
    method: 'POST',
    url,
    headers: {
      ...(token === undefined ? {} : { authorization: `Bearer ${token}` }),
      'content-type': 'text/plain',
      accept: 'application/json',
    },
    payload: '',
  });
}

/** POSTs git's credential-helper input as the git-credentials plugin's helper does. */
export function postCredentials(
  app: FastifyInstance,
  url: string,
  token: string | undefined,
  body: string,
): Promise<LightMyRequestResponse> {
  return app.inject({
    method: 'POST',
    url,
    headers: {
      ...(token === undefined ? {} : { authorization: `Bearer ${token}` }),
      'content-type': 'text/plain',
      accept: 'text/plain',
    },
    payload: body,
  });
}

/** git's input for one repository on github.com. */
export const credentialInput = (path: string, host = 'github.com') => `protocol=https\nhost=${host}\npath=${path}\n`;
