import fc from 'fast-check';

/** One request sent with fetch; `authenticated` ones carry a valid OIDC token. */
export interface MalformedCall {
  readonly method: string;
  readonly path: string;
  readonly headers: Record<string, string>;
  readonly body?: Uint8Array;
  /** With a valid token a garbage body may still be answered 200 (no credentials); without, only 4xx. */
  readonly authenticated: boolean;
}

export interface CallIngredients {
  readonly validToken: string;
  /** Tokens that must be refused: forged, expired, of another audience or organization. */
  readonly refusedTokens: readonly string[];
}

const vendingPaths = ['/token', '/token/default', '/git-credentials', '/git-credentials/default', '/organization/token/x', '/organization/git-credentials/x'];
const gitPaths = ['/git-credentials', '/git-credentials/default', '/organization/git-credentials/x'];
const contentTypes = ['application/json', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'text/plain; charset=utf-16', ';;;', '', 'a/b/c', 'text/plain; charset="'];
const utf8 = (text: string) => new TextEncoder().encode(text);

/**
 * Calls over fetch, deterministic for a seed: refused tokens on every vending route;
 * printable garbage as bearer tokens; and, with a valid token, garbage and oversized
 * `/git-credentials` bodies, hostile credential fields, odd content types and methods.
 */
export function malformedCalls(ingredients: CallIngredients, seed: number, count: number): MalformedCall[] {
  const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
  const refused = ingredients.refusedTokens.flatMap((token) =>
    vendingPaths.map((path): MalformedCall => ({ method: 'POST', path, headers: bearer(token), authenticated: false })),
  );
  const withToken = bearer(ingredients.validToken);
  const fixed: MalformedCall[] = [
    ...contentTypes.flatMap((type) =>
      gitPaths.map((path): MalformedCall => ({ method: 'POST', path, headers: { ...withToken, 'content-type': type }, body: utf8('{"protocol":'), authenticated: true })),
    ),
    ...['GET', 'PUT', 'DELETE', 'PATCH', 'OPTIONS'].flatMap((method) =>
      vendingPaths.map((path): MalformedCall => ({ method, path, headers: withToken, authenticated: true })),
    ),
    ...gitPaths.map((path): MalformedCall => ({ method: 'POST', path, headers: withToken, body: new Uint8Array(25 * 1024).fill(0x41), authenticated: true })),
    ...gitPaths.map((path): MalformedCall => ({ method: 'POST', path, headers: withToken, body: new Uint8Array([0xff, 0xfe, 0xc0, 0xaf, 0xed, 0xa0, 0x80]), authenticated: true })),
  ];
  const arbitrary = fc.oneof(
    { weight: 2, arbitrary: printable.map((token): MalformedCall => ({ method: 'POST', path: '/token', headers: bearer(token), authenticated: false })) },
    { weight: 3, arbitrary: fc.tuple(fc.constantFrom(...gitPaths), credentialBody).map(([path, body]): MalformedCall => ({ method: 'POST', path, headers: withToken, body: utf8(body), authenticated: true })) },
    { weight: 1, arbitrary: fc.tuple(fc.constantFrom(...gitPaths), fc.uint8Array({ maxLength: 300 })).map(([path, body]): MalformedCall => ({ method: 'POST', path, headers: withToken, body, authenticated: true })) },
  );
  const generated = fc.sample(arbitrary, { seed, numRuns: Math.max(0, count - refused.length - fixed.length) });
  return [...refused, ...fixed, ...generated];
}

/** What a header value may hold (fetch refuses the rest before sending). */
const printable = fc.string({ unit: fc.integer({ min: 0x21, max: 0x7e }).map((code) => String.fromCharCode(code)), minLength: 1, maxLength: 300 });

const hostileValue = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.constantFrom('acme/widget.git', 'acme/widget.git\r\nhost=evil.com', 'acme/../../evil', 'acme%2Fwidget', '\0', '..', '.', 'x'.repeat(5000), 'github.com:443', 'user:pass@github.com', 'GITHUB.COM', 'github.com.', 'https', 'http', 'HTTPS'),
);
const credentialBody = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 300 }),
  fc
    .array(fc.tuple(fc.constantFrom('protocol', 'host', 'path', 'username', 'password', 'wwwauth[]', 'capability[]', 'url', ''), hostileValue), { maxLength: 6 })
    .chain((lines) => fc.constantFrom('\n', '\r\n', '\r').map((newline) => lines.map(([k, v]) => `${k}=${v}${newline}`).join(''))),
);
