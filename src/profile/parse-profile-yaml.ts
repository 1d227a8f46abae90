import { parseDocument, visit } from 'yaml';

/** The YAML document as plain data, or the first reason it could not be read. */
export type ProfileYamlResult = { ok: true; document: unknown } | { ok: false; problem: string };

/**
 * Reads the profile file's YAML (one document, YAML 1.2 core schema, `<<` merge keys,
 * duplicate keys refused, at most 100 alias expansions against "billion laughs" files).
 * Numbers and booleans keep their text as written (`value: 007` is `"007"`, `1.50` stays
 * `"1.50"`), as Chinmina's decoder reads any scalar into a string field, so
 * `value: 42` matches build 42. Null stays null. Never throws.
 */
export function parseProfileYaml(text: string): ProfileYamlResult {
  try {
    // logLevel 'error': YAML warnings would otherwise be printed by process.emitWarning.
    const document = parseDocument(text, { merge: true, uniqueKeys: true, logLevel: 'error' });
    const [firstError] = document.errors;
    // The first line names the problem and its position; the rest quotes the file.
    if (firstError !== undefined) return { ok: false, problem: firstLine(firstError.message) };
    visit(document, {
      Scalar(_key, node) {
        const { value } = node;
        if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') {
          node.value = node.source ?? String(value);
        }
      },
    });
    return { ok: true, document: document.toJS({ maxAliasCount: 100 }) };
  } catch (error) {
    // The parser's resource limits (alias expansion) throw: the file is unreadable.
    return { ok: false, problem: error instanceof Error ? error.message : String(error) };
  }
}

function firstLine(message: string): string {
  return (message.split('\n')[0] ?? '').replace(/:$/, '');
}
