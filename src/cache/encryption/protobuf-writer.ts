/**
 * The few protobuf encodings the keyset encoder needs. Callers omit proto3 default values
 * (0, empty) themselves, as Tink's own serialisation does.
 */

/** A non-negative integer (up to 2^64 - 1) as a base-128 varint. */
export function encodeVarint(value: number | bigint): Buffer {
  let remaining = BigInt(value);
  if (remaining < 0n || remaining > 0xffff_ffff_ffff_ffffn) throw new RangeError('varint out of range');
  const bytes: number[] = [];
  while (remaining >= 0x80n) {
    bytes.push(Number(remaining & 0x7fn) | 0x80);
    remaining >>= 7n;
  }
  bytes.push(Number(remaining));
  return Buffer.from(bytes);
}

/** Field `fieldNumber` with wire type 0 holding `value`. */
export function varintField(fieldNumber: number, value: number | bigint): Buffer {
  return Buffer.concat([encodeVarint(fieldNumber * 8), encodeVarint(value)]);
}

/** Field `fieldNumber` with wire type 2 (length-delimited) holding `value`. */
export function bytesField(fieldNumber: number, value: Uint8Array): Buffer {
  return Buffer.concat([encodeVarint(fieldNumber * 8 + 2), encodeVarint(value.length), value]);
}
