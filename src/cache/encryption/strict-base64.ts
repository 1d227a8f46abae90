/**
 * Decodes standard, padded base64 (RFC 4648 §4), refusing anything else. `Buffer.from(x,
 * 'base64')` alone silently skips stray characters and accepts URL-safe letters, so a
 * corrupted value would decode to other bytes instead of failing.
 *
 * Invariant: a result is returned only when re-encoding it gives back exactly `text`
 * (so non-zero padding bits are refused too).
 *
 * @returns the bytes, or `undefined` when `text` is not canonical standard base64.
 */
export function decodeStrictBase64(text: string): Buffer | undefined {
  if (text.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(text)) return undefined;
  const bytes = Buffer.from(text, 'base64');
  return bytes.toString('base64') === text ? bytes : undefined;
}

/**
 * Decodes base64 as protobuf JSON writes or accepts it: standard or URL-safe alphabet,
 * padding optional. Used for keyset JSON only, never for cache values.
 *
 * @returns the bytes, or `undefined` when `text` is not base64 in either alphabet.
 */
export function decodeLenientBase64(text: string): Buffer | undefined {
  const standard = text.replaceAll('-', '+').replaceAll('_', '/');
  const padded = standard.padEnd(standard.length + ((4 - (standard.length % 4)) % 4), '=');
  return decodeStrictBase64(padded);
}
