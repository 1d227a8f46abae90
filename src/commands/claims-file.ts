import { readFileArgument } from './read-file-argument.js';
import { UsageError } from './usage-error.js';

/** A compact JWS, as `buildkite-agent oidc request-token` prints it: three base64url parts. */
const compactJwt = /^[\w-]+\.[\w-]+\.[\w-]*$/;

/**
 * The claims `profiles explain --claims FILE` reads: a JSON object shaped like a Buildkite
 * OIDC token's payload. The token itself is refused by name, so the mistake is plain and
 * the token is never echoed.
 * @throws {UsageError} naming `--claims` when the file cannot be read, holds a JWT, is not
 * JSON, or holds JSON other than an object.
 */
export async function readClaimsFile(path: string): Promise<Record<string, unknown>> {
  const text = await readFileArgument(path, '--claims');
  const flag = `--claims ${JSON.stringify(path)}`;
  const json = parseJson(text);
  const bare = json.ok ? json.value : text.trim();
  if (typeof bare === 'string' && compactJwt.test(bare.trim())) {
    throw new UsageError(
      `${flag} holds a JWT, not its claims: give the token's payload (its middle part, base64url-decoded) as a JSON object`,
    );
  }
  if (!json.ok) throw new UsageError(`${flag} is not JSON: ${json.problem}`);
  const value = json.value;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new UsageError(`${flag} must hold a JSON object of claims, not ${kindOf(value)}`);
  }
  return Object.fromEntries(Object.entries(value));
}

function parseJson(text: string): { ok: true; value: unknown } | { ok: false; problem: string } {
  try {
    const value: unknown = JSON.parse(text);
    return { ok: true, value };
  } catch (error) {
    // JSON.parse throws only SyntaxError; its message says where the text went wrong.
    return { ok: false, problem: error instanceof Error ? error.message : 'invalid JSON' };
  }
}

function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return `a ${typeof value}`;
}
