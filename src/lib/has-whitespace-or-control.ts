/**
 * Whitespace or control characters in the sets Go's `unicode.IsSpace` and `unicode.IsControl`
 * use: the Unicode White_Space property (U+0085, U+00A0, U+1680, U+2000–U+200A, U+2028,
 * U+2029, U+202F, U+205F, U+3000 and ASCII's) and Cc (C0, DEL, C1). Not U+200B or U+FEFF:
 * JavaScript's `\s` includes U+FEFF, so it is not used.
 */
const whitespaceOrControl = /[\p{White_Space}\p{Cc}]/u;

/** Whether `value` holds any whitespace or control character (Go's sets, see above). */
export function hasWhitespaceOrControl(value: string): boolean {
  return whitespaceOrControl.test(value);
}
