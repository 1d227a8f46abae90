import { InternalError, UpstreamRefusedError } from '../errors.js';
import { hasControlCharacter } from '../lib/control-characters.js';

/** A GitHub repository named by its owner (user or organization) and its name. */
export interface RepositoryName {
  readonly owner: string;
  readonly name: string;
}

/** Whitespace as Go's `unicode.IsSpace` (the Unicode White_Space property) or a control character. */
const WHITESPACE_OR_CONTROL = /[\p{White_Space}\p{Cc}]/u;

/**
 * Characters that would not survive writing the segment back into an `https://` URL and
 * reading it again: `/` and `\` split segments, `?` and `#` end the path, and `%` would be
 * decoded a second time.
 */
const URL_STRUCTURAL = /[/\\?#%]/;

/** `hostname[:port]` → `hostname`; an IPv6 literal keeps its brackets. */
function hostnameOf(gitHost: string): string {
  return gitHost.replace(/:\d*$/, '');
}

/**
 * The repository URL Buildkite has for a pipeline, refused (403, {@link UpstreamRefusedError}:
 * the pipeline chose it) when it holds a control character anywhere, before anything
 * parses it or any upstream is asked about it. Surrounding spaces are trimmed.
 */
export function pipelineRepositoryUrl(buildkiteUrl: string): string {
  if (hasControlCharacter(buildkiteUrl)) {
    throw new UpstreamRefusedError('buildkite', 'pipeline repository URL contains control characters');
  }
  return buildkiteUrl.trim();
}

/**
 * Rewrites a pipeline's SSH repository URL to the HTTPS URL git asks credentials for, so
 * an SSH-configured pipeline still matches its HTTPS credential request.
 *
 * `git@<hostname>:<rest>` becomes `https://<gitHost>/<rest>` (a `.git` suffix is kept),
 * where `<hostname>` is `gitHost` without any port, matched exactly (case-sensitive), and
 * `<rest>` has at least two characters, does not start with `/` and has no line break after
 * its first character (Chinmina's `^git@github\.com:([^/].+)$`). Every other string comes
 * back unchanged, including `ssh://` URLs and `git@host:/absolute` paths.
 *
 * Invariant: idempotent, since the output of a rewrite never starts with `git@`. Never throws.
 */
export function translateSshToHttps(url: string, gitHost: string): string {
  const prefix = `git@${hostnameOf(gitHost)}:`;
  if (!url.startsWith(prefix)) return url;
  const rest = url.slice(prefix.length);
  const valid = rest.length >= 2 && !rest.startsWith('/') && !rest.slice(1).includes('\n');
  return valid ? `https://${gitHost}/${rest}` : url;
}

/** Decodes one path segment; `undefined` when it is malformed or is not a plain name. */
function decodeSegment(raw: string): string | undefined {
  let decoded: string;
  try {
    decoded = decodeURIComponent(raw);
  } catch {
    // Malformed percent-encoding is garbage input, answered "not a repository".
    return undefined;
  }
  // The URL parser already resolves `.`/`..` (also encoded); checked again so the
  // round-trip invariant does not rest on that.
  if (decoded === '' || decoded === '.' || decoded === '..') return undefined;
  if (WHITESPACE_OR_CONTROL.test(decoded) || URL_STRUCTURAL.test(decoded)) return undefined;
  return decoded;
}

/**
 * The `owner/name` an HTTPS repository URL on the configured git host names, or
 * `undefined` when it names none. Never throws.
 *
 * Accepted: a string starting with `https://`, free of control characters (the URL parser
 * would drop tab, CR and LF rather than refuse them), without user or password, that parses as a URL whose `URL.host`
 * (lower-cased, default port dropped, non-default port kept) equals `gitHost`, whose path,
 * with the leading `/` and one trailing `.git` removed, is exactly two segments. Each
 * segment is percent-decoded and must be non-empty, not `.` or `..`, and free of
 * whitespace, control characters, `/`, `\`, `?`, `#` and `%`; the name must not still end
 * in `.git`. Query and fragment are ignored.
 *
 * Invariant: for any result `r`, `repositoryForUrl(\`https://${gitHost}/${r.owner}/${r.name}\`, gitHost)`
 * is `r` again; the rejected characters are exactly those that would break this.
 */
export function repositoryForUrl(url: string, gitHost: string): RepositoryName | undefined {
  if (!url.startsWith('https://') || hasControlCharacter(url) || !URL.canParse(url)) return undefined;
  const parsed = new URL(url);
  if (parsed.protocol !== 'https:' || parsed.host !== gitHost) return undefined;
  // Credentials in the URL would travel on into responses and audit records: refuse them.
  if (parsed.username !== '' || parsed.password !== '') return undefined;
  const path = parsed.pathname.replace(/^\//, '').replace(/\.git$/, '');
  const segments = path.split('/');
  if (segments.length !== 2) return undefined;
  const owner = decodeSegment(segments[0] ?? '');
  const name = decodeSegment(segments[1] ?? '');
  if (owner === undefined || name === undefined || name.endsWith('.git')) return undefined;
  return { owner, name };
}

/**
 * The git host that belongs to a GitHub REST API base URL: `github.com` for the public
 * API (any URL whose host is `api.github.com`, with or without a trailing slash), and for
 * GitHub Enterprise Server (`https://ghe.example.com/api/v3`) the URL's own host, with its
 * port when that is not the default.
 *
 * Throws {@link InternalError} when `apiUrl` is not an absolute URL; configuration
 * validation rejects such values before this is called.
 */
export function gitHostForApiUrl(apiUrl: string): string {
  if (!URL.canParse(apiUrl)) throw new InternalError('GitHub API URL is not an absolute URL');
  const { host } = new URL(apiUrl);
  return host === 'api.github.com' ? 'github.com' : host;
}
