/**
 * Whether `value` holds a C0 control character (U+0000–U+001F: NUL, tab, CR, LF, …) or DEL
 * (U+007F) anywhere. The WHATWG URL parser silently drops tab, CR and LF and trims the
 * rest, so a string that holds one must be refused before it is parsed:
 * `https://github.com/acme/a.git\r\nhost=evil.com` would otherwise name the repository
 * `a.githost=evil.com`.
 */
export function hasControlCharacter(value: string): boolean {
  for (let index = 0; index < value.length; index += 1) {
    const code = value.charCodeAt(index);
    if (code < 0x20 || code === 0x7f) return true;
  }
  return false;
}
