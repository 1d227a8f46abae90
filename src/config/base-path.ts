/** The result of normalising `SERVER_BASE_PATH`: `''` (no prefix) or `/segment[/segment…]`. */
export type BasePathResult = { ok: true; basePath: string } | { ok: false; problem: string };

/**
 * Normalises a base path as Chinmina does: surrounding whitespace and slashes are dropped,
 * a leading `/` is added, and a path with an empty segment (`//`) is refused.
 */
export function normalizeBasePath(raw: string): BasePathResult {
  const trimmed = raw.trim();
  if (/^\/*$/.test(trimmed)) return { ok: true, basePath: '' };
  const withLeading = trimmed.startsWith('/') ? trimmed : `/${trimmed}`;
  const withoutTrailing = withLeading.replace(/\/+$/, '');
  if (withoutTrailing.includes('//')) {
    return { ok: false, problem: `invalid base path: base path "${raw}" contains double slashes` };
  }
  return { ok: true, basePath: withoutTrailing };
}
