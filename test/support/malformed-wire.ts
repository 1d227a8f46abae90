import fc from 'fast-check';

/**
 * Malformed HTTP/1.1 as raw bytes, none carrying a valid token: broken request lines, bad
 * methods, odd paths, huge, absent and odd headers, broken framing, binary noise. Each is
 * answered 4xx or dropped; none may reach a 5xx or hang. Deterministic for a given seed.
 */
export function malformedWire(seed: number, count: number): Buffer[] {
  const fixed = fixedCases().map((text) => Buffer.from(text, 'latin1'));
  const generated = fc.sample(generatedCase, { seed, numRuns: Math.max(0, count - fixed.length) });
  return [...fixed, ...generated];
}

const end = 'Host: bridge\r\nConnection: close\r\n\r\n';
const post = (path: string, headers = '') => `POST ${path} HTTP/1.1\r\n${headers}${end}`;

function fixedCases(): string[] {
  const long = 'x'.repeat(70_000);
  return [
    // Request lines
    'GARBAGE\r\n\r\n', 'POST\r\n\r\n', 'POST /token\r\n\r\n', 'POST /token HTTP/9.9\r\n\r\n', 'POST /token HTTP/1.1 extra\r\n\r\n',
    'POST  /token  HTTP/1.1\r\n\r\n', '\r\n\r\n\r\n', '\0\0\0\0', 'POST /token HTTP/1.1\rHost: x\r\r', 'POST /token HTTP/1.1\nHost: x\n\n',
    `POST /${long} HTTP/1.1\r\n${end}`, 'PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n', '\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03',
    // Methods
    ...['FOO', 'post', 'DELETE', 'PUT', 'PATCH', 'OPTIONS', 'TRACE', 'GET', 'HEAD', 'P\x00ST'].map((method) => `${method} /token HTTP/1.1\r\n${end}`),
    `CONNECT github.com:443 HTTP/1.1\r\n${end}`,
    // Paths
    ...['/token/%2e%2e', '/token/..', '/%2e%2e/token', '//token', '/token//x', '/token%2F', '/TOKEN', '/token?x=%zz', '*', 'http://evil.com/token',
      'https://evil.com:443/git-credentials', '/token;a=b', '/token\\..\\metrics', '/token/%00', '/token/%', '/token/%C0%AE%C0%AE', '/git-credentials/..%2f..%2fmetrics',
      `/token/${'%41'.repeat(3000)}`, '/token/\x7f', '/token/é', '/organization/token/', '/organization/token', '/./token', '/token/.', '/token/%2e'].map((path) => post(path)),
    // Headers
    `POST /token HTTP/1.1\r\nX-Big: ${long}\r\n${end}`,
    `POST /token HTTP/1.1\r\n${Array.from({ length: 3000 }, (_, i) => `X-${i}: y\r\n`).join('')}${end}`,
    'POST /token HTTP/1.1\r\nConnection: close\r\n\r\n', // no Host
    post('/token', 'No-Colon-Here\r\n'), post('/token', 'Bad Name: v\r\n'), post('/token', 'X-Fold: a\r\n b\r\n'), post('/token', ': empty\r\n'),
    post('/token', 'Authorization: Bearer\r\n'), post('/token', 'Authorization: Bearer \r\n'), post('/token', 'Authorization: Basic dXNlcjpwYXNz\r\n'),
    post('/token', 'Authorization: Bearer a b c\r\n'), post('/token', `Authorization: Bearer ${'e'.repeat(15_000)}\r\n`),
    post('/token', 'Authorization: Bearer x\r\nAuthorization: Bearer y\r\n'), post('/token', 'Authorization: Bearer \x01\x02\r\n'),
    post('/token', 'Authorization: Bearer eyJ.eyJ.sig\r\n'), post('/token', 'X-Forwarded-For: not-an-address, \x7f\r\n'),
    post('/token', 'Content-Type: application/json\r\n'), post('/token', 'Content-Type: ;;;\r\n'), post('/token', 'Content-Type: multipart/form-data; boundary=\r\n'),
    post('/token', 'Content-Encoding: gzip\r\nContent-Length: 4\r\n') + 'abcd', post('/token', 'Expect: 100-continue\r\nContent-Length: 10\r\n'),
    post('/token', 'Upgrade: websocket\r\nConnection: Upgrade\r\n'),
    // Framing
    post('/git-credentials', 'Content-Length: 5\r\nContent-Length: 6\r\n') + 'abcdef', post('/git-credentials', 'Content-Length: -1\r\n'),
    post('/git-credentials', 'Content-Length: abc\r\n'), post('/git-credentials', 'Content-Length: 99999999999999999999\r\n'),
    post('/git-credentials', 'Content-Length: 30000\r\n') + 'y'.repeat(30_000),
    post('/git-credentials', 'Transfer-Encoding: chunked\r\nContent-Length: 3\r\n') + '3\r\nabc\r\n0\r\n\r\n',
    post('/git-credentials', 'Transfer-Encoding: chunked\r\n') + 'zz\r\nabc\r\n0\r\n\r\n', post('/git-credentials', 'Transfer-Encoding: gzip, chunked\r\n') + '0\r\n\r\n',
    post('/git-credentials', 'Transfer-Encoding: chunked\r\n') + `${(30_000).toString(16)}\r\n${'z'.repeat(30_000)}\r\n0\r\n\r\n`,
    post('/git-credentials', 'Content-Length: 20\r\n') + 'short',
    `${post('/token')}${post('/git-credentials')}${post('/nope')}`,
  ];
}

const token = fc.oneof(
  fc.string({ unit: 'binary-ascii', maxLength: 60 }),
  fc.tuple(fc.base64String({ maxLength: 40 }), fc.base64String({ maxLength: 80 }), fc.base64String({ maxLength: 40 })).map((parts) => parts.join('.')),
);
const path = fc.oneof(
  fc.constantFrom('/token', '/git-credentials', '/organization/token/x', '/token/default'),
  fc.string({ unit: fc.constantFrom('/', '%2F', '%2e', '.', '..', 'token', 'git-credentials', 'organization', '%00', '%', ';', '?', '#', 'a', ' '), maxLength: 8 }).map((p) => `/${p}`),
);
const headerLine = fc.tuple(fc.string({ unit: 'binary-ascii', maxLength: 12 }), fc.string({ unit: 'binary-ascii', maxLength: 40 })).map(([n, v]) => `${n}: ${v}\r\n`);
const method = fc.oneof(fc.constantFrom('POST', 'GET', 'PUT', 'post', 'P OST'), fc.string({ unit: 'binary-ascii', minLength: 1, maxLength: 8 }));
const body = fc.oneof(fc.string({ unit: 'binary', maxLength: 200 }), fc.constant('protocol=https\nhost=github.com\npath=acme/widget.git\n'));

const generatedCase = fc.oneof(
  fc.uint8Array({ minLength: 1, maxLength: 300 }).map((bytes) => Buffer.from(bytes)),
  fc.tuple(method, path, fc.array(headerLine, { maxLength: 4 }), token, body).map(([m, p, headers, t, b]) =>
    Buffer.from(`${m} ${p} HTTP/1.1\r\n${headers.join('')}Authorization: Bearer ${t}\r\nContent-Length: ${Buffer.byteLength(b)}\r\n${end}${b}`),
  ),
);
