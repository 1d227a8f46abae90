import { z } from 'zod';

/**
 * Field builders for environment variables. Every builder treats a blank value as unset
 * (deliberately stricter than Chinmina: an empty required variable counts as missing) and
 * reports problems without echoing the value, so a misplaced secret never reaches a log.
 */

declare module 'zod' {
  /** What the configuration reference (`docs/configuration.md`) shows about a variable. */
  interface GlobalMeta {
    /** The section of the reference the variable is listed in. */
    group?: string;
    /** The kind of value, as the reference shows it (`integer 0–65535`, `boolean`, …). */
    valueType?: string;
    /** The default, when it is derived from other variables rather than fixed. */
    defaultText?: string;
    /** Whether the variable must be set, when the schema alone cannot tell (cross-field rules). */
    required?: string;
    /** The value is a secret: never echoed, and marked as such in the reference. */
    secret?: boolean;
  }
}

/**
 * Puts every variable of `shape` in the reference section `group`, keeping each field's
 * other metadata; the environment schema is a spread of such sections.
 */
export function inGroup<const Shape extends Record<string, z.ZodType>>(group: string, shape: Shape): Shape {
  const grouped: Record<string, z.ZodType> = {};
  for (const [name, field] of Object.entries(shape)) grouped[name] = field.meta({ ...field.meta(), group });
  // `meta` returns a copy of the same schema type, so every key keeps its own field type.
  return grouped as Shape;
}

const blankToUndefined = (value: unknown): unknown =>
  typeof value === 'string' && value.trim() === '' ? undefined : value;

const goTrue = new Set(['1', 't', 'T', 'TRUE', 'true', 'True']);
const goFalse = new Set(['0', 'f', 'F', 'FALSE', 'false', 'False']);

/**
 * A value with a default, trimmed, then turned into its type by `parse`, which reports its
 * own issue (never quoting the value) and returns `z.NEVER` when it cannot.
 */
function parsedWithDefault<T>(defaultValue: string, parse: (value: string, ctx: z.RefinementCtx) => T) {
  return z.preprocess(
    blankToUndefined,
    z
      .string()
      .default(defaultValue)
      .transform((raw, ctx) => parse(raw.trim(), ctx)),
  );
}

/** A required text value. */
export function requiredText(description: string) {
  return z.preprocess(blankToUndefined, z.string({ error: 'is required' }).trim()).meta({ description, valueType: 'text' });
}

/** An optional text value with a default (the empty string for "none"). */
export function optionalText(description: string, defaultValue = '') {
  return z.preprocess(blankToUndefined, z.string().trim().default(defaultValue)).meta({ description, valueType: 'text' });
}

/** A secret: required-ness is decided by the caller; never echoed. */
export function secretText(description: string) {
  return z.preprocess(blankToUndefined, z.string().optional()).meta({ description, valueType: 'text', secret: true });
}

interface IntegerRange {
  readonly min: number;
  readonly max: number;
}

function parseInteger(range: IntegerRange) {
  return (trimmed: string, ctx: z.RefinementCtx): number => {
    const value = Number(trimmed);
    if (!/^[+-]?\d+$/.test(trimmed) || !Number.isSafeInteger(value)) {
      ctx.addIssue({ code: 'custom', message: 'must be a whole number' });
      return z.NEVER;
    }
    if (value < range.min || value > range.max) {
      ctx.addIssue({ code: 'custom', message: `must be between ${range.min} and ${range.max}` });
      return z.NEVER;
    }
    return value;
  };
}

/** An integer with a default, within an inclusive range. */
export function integer(description: string, defaultValue: number, range: IntegerRange) {
  return parsedWithDefault(String(defaultValue), parseInteger(range)).meta({ description, valueType: `integer ${range.min}–${range.max}` });
}

/** GitHub's int64 ids as decimal strings: positive, without leading zeros. */
export const numericIdPattern = /^[1-9]\d{0,18}$/;

/** A required numeric identifier (GitHub's int64 ids), kept as its decimal string. */
export function requiredId(description: string) {
  return z
    .preprocess(
      blankToUndefined,
      z
        .string({ error: 'is required' })
        .trim()
        .regex(numericIdPattern, { message: 'must be a positive whole number' }),
    )
    .meta({ description, valueType: 'numeric id' });
}

/** A boolean in Go's `strconv.ParseBool` spellings, as Chinmina reads them. */
export function boolean(description: string, defaultValue: boolean) {
  return parsedWithDefault(String(defaultValue), (value, ctx) => {
    if (goTrue.has(value)) return true;
    if (goFalse.has(value)) return false;
    ctx.addIssue({ code: 'custom', message: 'must be true or false' });
    return z.NEVER;
  }).meta({ description, valueType: 'boolean' });
}

/**
 * A count that also takes Go's boolean spellings: `false` is 0 and `true` is 1 (Chinmina's
 * boolean variables keep their meaning), or a whole number from 0 to `max`.
 */
export function booleanOrCount(description: string, defaultValue: boolean, max: number) {
  const count = parseInteger({ min: 0, max });
  return parsedWithDefault(String(defaultValue), (value, ctx) => {
    if (goTrue.has(value)) return 1;
    if (goFalse.has(value)) return 0;
    return count(value, ctx);
  }).meta({ description, valueType: `boolean, or integer 0–${max}` });
}

/** An absolute http(s) URL with a default; the trailing slash is removed. */
export function httpUrl(description: string, defaultValue: string) {
  return parsedWithDefault(defaultValue, (value, ctx) => {
    if (!URL.canParse(value) || !/^https?:$/.test(new URL(value).protocol)) {
      ctx.addIssue({ code: 'custom', message: 'must be an absolute http(s) URL' });
      return z.NEVER;
    }
    return value.replace(/\/+$/, '');
  }).meta({ description, valueType: 'http(s) URL' });
}

/** One of a fixed set of words, with a default. */
export function oneOf<const Choice extends string>(description: string, choices: readonly Choice[], defaultValue: Choice) {
  const allowed = new Set<string>(choices);
  return parsedWithDefault(defaultValue, (value, ctx) => {
    if (allowed.has(value)) return value as Choice; // checked against the choices just above
    ctx.addIssue({ code: 'custom', message: `must be one of ${choices.join(', ')}` });
    return z.NEVER;
  }).meta({ description, valueType: `one of ${choices.map((choice) => `\`${choice}\``).join(', ')}` });
}

/** Metadata for a variable whose value is a file path (the path is not secret, the file may be). */
export const filePath = { valueType: 'file path', secret: false } as const;
