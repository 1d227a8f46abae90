import { KeysetInvalidError } from '../../errors.js';

/**
 * One field of a protobuf message as found on the wire. Varints and length-delimited
 * values are kept; fixed32, fixed64 and groups are read past (no keyset message uses them,
 * so they can only be unknown fields) and recorded as `skipped`.
 */
export type ProtobufField =
  | { readonly fieldNumber: number; readonly wireType: 'varint'; readonly value: bigint }
  | { readonly fieldNumber: number; readonly wireType: 'bytes'; readonly value: Buffer }
  | { readonly fieldNumber: number; readonly wireType: 'skipped' };

interface Cursor {
  offset: number;
}

// Deeper nesting is no legitimate keyset; the limit keeps hostile input off the stack's end.
const maxGroupDepth = 32;
const maxVarintBytes = 10;

function malformed(problem: string): KeysetInvalidError {
  return new KeysetInvalidError(`malformed protobuf: ${problem}`);
}

/**
 * Splits one protobuf message into its fields, in wire order, without knowing its schema.
 * Length-delimited values are views into `bytes`, not copies.
 *
 * @throws {KeysetInvalidError} for truncated input, over-long varints, field number 0,
 *   wire types 6 and 7, and unbalanced or too deeply nested groups.
 */
export function readProtobufFields(bytes: Uint8Array): ProtobufField[] {
  const input = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const cursor: Cursor = { offset: 0 };
  const fields: ProtobufField[] = [];
  while (cursor.offset < input.length) {
    const tag = readTag(input, cursor);
    fields.push(readValue(input, cursor, tag, 0));
  }
  return fields;
}

/** The last varint of field `fieldNumber` (protobuf: the last scalar wins), if any. */
export function lastVarint(fields: readonly ProtobufField[], fieldNumber: number): bigint | undefined {
  let found: bigint | undefined;
  for (const field of fields) if (field.fieldNumber === fieldNumber && field.wireType === 'varint') found = field.value;
  return found;
}

/** The last length-delimited value of field `fieldNumber`, if any. */
export function lastBytes(fields: readonly ProtobufField[], fieldNumber: number): Buffer | undefined {
  let found: Buffer | undefined;
  for (const field of fields) if (field.fieldNumber === fieldNumber && field.wireType === 'bytes') found = field.value;
  return found;
}

/**
 * Every occurrence of an embedded-message field, concatenated: protobuf merges repeated
 * occurrences of a singular message field, and merging equals parsing the concatenation.
 */
export function mergedMessage(fields: readonly ProtobufField[], fieldNumber: number): Buffer | undefined {
  const parts: Buffer[] = [];
  for (const field of fields) if (field.fieldNumber === fieldNumber && field.wireType === 'bytes') parts.push(field.value);
  return parts.length === 0 ? undefined : Buffer.concat(parts);
}

/** A varint as protobuf's uint32 reads it: the low 32 bits. */
export function toUint32(value: bigint): number {
  return Number(BigInt.asUintN(32, value));
}

/** A varint as protobuf's int32 (and enums) read it: the low 32 bits, signed. */
export function toInt32(value: bigint): number {
  return Number(BigInt.asIntN(32, value));
}

function readTag(input: Buffer, cursor: Cursor): { fieldNumber: number; wireType: number } {
  const tag = readVarint(input, cursor);
  if (tag > 0xffff_ffffn) throw malformed('tag out of range');
  const fieldNumber = Number(tag >> 3n);
  if (fieldNumber === 0) throw malformed('field number 0');
  return { fieldNumber, wireType: Number(tag & 7n) };
}

function readValue(
  input: Buffer,
  cursor: Cursor,
  tag: { fieldNumber: number; wireType: number },
  depth: number,
): ProtobufField {
  const { fieldNumber } = tag;
  switch (tag.wireType) {
    case 0:
      return { fieldNumber, wireType: 'varint', value: readVarint(input, cursor) };
    case 1:
      advance(input, cursor, 8);
      return { fieldNumber, wireType: 'skipped' };
    case 2: {
      const length = readVarint(input, cursor);
      if (length > BigInt(input.length - cursor.offset)) throw malformed('truncated length-delimited field');
      const start = cursor.offset;
      advance(input, cursor, Number(length));
      return { fieldNumber, wireType: 'bytes', value: input.subarray(start, cursor.offset) };
    }
    case 3:
      skipGroup(input, cursor, fieldNumber, depth + 1);
      return { fieldNumber, wireType: 'skipped' };
    case 4:
      throw malformed('end-group without start-group');
    case 5:
      advance(input, cursor, 4);
      return { fieldNumber, wireType: 'skipped' };
    default:
      throw malformed(`unknown wire type ${tag.wireType}`);
  }
}

function skipGroup(input: Buffer, cursor: Cursor, fieldNumber: number, depth: number): void {
  if (depth > maxGroupDepth) throw malformed('groups nested too deeply');
  for (;;) {
    if (cursor.offset >= input.length) throw malformed('unterminated group');
    const tag = readTag(input, cursor);
    if (tag.wireType === 4) {
      if (tag.fieldNumber !== fieldNumber) throw malformed('mismatched end-group');
      return;
    }
    readValue(input, cursor, tag, depth);
  }
}

function readVarint(input: Buffer, cursor: Cursor): bigint {
  let value = 0n;
  for (let index = 0; index < maxVarintBytes; index += 1) {
    const byte = input[cursor.offset];
    if (byte === undefined) throw malformed('truncated varint');
    cursor.offset += 1;
    value |= BigInt(byte & 0x7f) << BigInt(7 * index);
    if ((byte & 0x80) === 0) return BigInt.asUintN(64, value);
  }
  throw malformed('varint longer than 10 bytes');
}

function advance(input: Buffer, cursor: Cursor, byteCount: number): void {
  if (input.length - cursor.offset < byteCount) throw malformed('truncated field');
  cursor.offset += byteCount;
}
