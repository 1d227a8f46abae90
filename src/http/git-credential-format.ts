import { InternalError, RequestInvalidError } from '../errors.js';
import { hasControlCharacter } from '../lib/control-characters.js';

/**
 * Reads git credential-helper input (`key=value` lines) the way Chinmina's
 * `ReadProperties` does: lines split on `\n` with one trailing `\r` stripped; reading stops
 * at the first empty line or the end; each line splits on its first `=` (the value may
 * contain `=` or be empty); lines without `=` or with an empty key are skipped; for a
 * repeated key the last value wins, at the position of its first occurrence.
 *
 * Invariant: every key is non-empty and contains neither `\n` nor `=`. Never throws.
 */
export function parseCredentialProperties(body: string): Map<string, string> {
  const properties = new Map<string, string>();
  for (const rawLine of body.split('\n')) {
    const line = rawLine.endsWith('\r') ? rawLine.slice(0, -1) : rawLine;
    if (line === '') break;
    const separator = line.indexOf('=');
    if (separator <= 0) continue;
    properties.set(line.slice(0, separator), line.slice(separator + 1));
  }
  return properties;
}

/** What a git credential request asks for. */
export type CredentialTarget =
  /** protocol, host and path all empty or omitted: answered with no credentials. */
  | { readonly kind: 'empty' }
  /** a protocol/host pair other than `https` + the configured git host: no credentials. */
  | { readonly kind: 'unsupported' }
  | {
      readonly kind: 'repository';
      /** `https://<host>/<path>`, the path percent-escaped by the WHATWG URL parser. */
      readonly url: string;
      readonly protocol: 'https';
      readonly host: string;
      /** The path as git sent it (empty when omitted). */
      readonly path: string;
    };

/**
 * Decides which repository a parsed credential request names, with Chinmina's newer rules:
 * an omitted `path` counts as `path=`; all three of protocol, host and path empty is
 * `empty`; otherwise protocol and host must both be non-empty. Only `protocol=https` with a
 * host exactly equal to `gitHost` is supported; other hosts, ports, letter case, a
 * trailing dot or `http` are `unsupported`, never an error.
 *
 * The URL is built with the WHATWG path setter, so the whole `path` stays in the URL path
 * (`?` and `#` are escaped) and the host cannot change; note that this setter, unlike Go,
 * resolves `.`/`..` segments, reads `\` as `/` and drops tabs and line breaks.
 *
 * Throws {@link RequestInvalidError} when some field is non-empty but protocol or host is
 * empty or omitted, or when protocol, host or path holds a control character (C0 or DEL).
 */
export function credentialTarget(
  properties: ReadonlyMap<string, string>,
  gitHost: string,
): CredentialTarget {
  const protocol = properties.get('protocol') ?? '';
  const host = properties.get('host') ?? '';
  const path = properties.get('path') ?? '';
  if (protocol === '' && host === '' && path === '') return { kind: 'empty' };
  if (protocol === '') throw new RequestInvalidError('protocol must be present');
  if (host === '') throw new RequestInvalidError('host must be present');
  // Before the URL parser, which would drop tab, CR and LF and so read another path.
  if ([protocol, host, path].some(hasControlCharacter)) throw new RequestInvalidError('control character in the repository');
  if (protocol !== 'https' || host !== gitHost) return { kind: 'unsupported' };
  const url = new URL(`https://${host}/`);
  url.pathname = path;
  return { kind: 'repository', url: url.href, protocol, host, path };
}

/** The credential handed back to git. */
export interface CredentialResponseFields {
  /** The vended repository URL; must be an absolute `https:` URL. */
  readonly url: string;
  readonly username: string;
  readonly password: string;
  /** When the password stops working, in whole Unix seconds (UTC). */
  readonly passwordExpiryUtc: number;
}

/** `\n` ends a line, NUL ends git's string, and a trailing `\r` is stripped on reading. */
const UNSAFE_VALUE = /[\n\r\0]/;

/**
 * Writes the git credential-helper response: `protocol`, `host` (with a non-default port),
 * `path` (the URL path without its leading `/`, still percent-encoded), `username`,
 * `password`, `password_expiry_utc`, one `key=value\n` each in that order, then an empty
 * line.
 *
 * Invariant: the body is built whole before it is returned, so a caller never writes a
 * partial credential, and {@link parseCredentialProperties} reads every value back as given.
 *
 * Throws {@link InternalError} when the URL is not an absolute `https:` URL, when the expiry
 * is not a safe integer, or when a value contains `\n`, `\r` or NUL.
 */
export function formatCredentialResponse(fields: CredentialResponseFields): string {
  if (!URL.canParse(fields.url)) throw new InternalError('vended URL is not absolute');
  const url = new URL(fields.url);
  if (url.protocol !== 'https:') throw new InternalError('vended URL is not https');
  if (!Number.isSafeInteger(fields.passwordExpiryUtc)) {
    throw new InternalError('password expiry is not a whole number of seconds');
  }
  const lines: ReadonlyArray<readonly [string, string]> = [
    ['protocol', 'https'],
    ['host', url.host],
    ['path', url.pathname.replace(/^\//, '')],
    ['username', fields.username],
    ['password', fields.password],
    ['password_expiry_utc', String(fields.passwordExpiryUtc)],
  ];
  for (const [key, value] of lines) {
    // The key alone is named: the value may be a token.
    if (UNSAFE_VALUE.test(value)) throw new InternalError(`credential field ${key} contains a line break or NUL`);
  }
  return lines.map(([key, value]) => `${key}=${value}\n`).join('') + '\n';
}
