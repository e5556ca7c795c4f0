// Zod field schemas for Canvas payloads, shared by every event family: ids that keep
// every digit, instants with offsets, and the metadata fields projections use.
import { z } from 'zod';
import { idProblem, normalizeId } from './canvas-id';
import { isLosslessNumber } from './lossless-json';
import { parseInstant, instantProblem } from './time';

/** A Canvas id: digits as a string (or an integer JSON number), kept as a decimal string. */
export const canvasId = z.unknown().transform((value, ctx): string => {
  let text: string | null = null;
  if (typeof value === 'string') text = value;
  else if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) text = String(value);
  else if (isLosslessNumber(value)) text = String(value);
  if (text === null) {
    ctx.addIssue({
      code: 'custom',
      message: value === undefined ? 'is required' : `must be an id (a string of digits), got ${describe(value)}`,
    });
    return z.NEVER;
  }
  const problem = idProblem(text);
  if (problem) {
    ctx.addIssue({ code: 'custom', message: `${problem}, got "${text.slice(0, 40)}"` });
    return z.NEVER;
  }
  return normalizeId(text);
});

/** An ISO-8601 timestamp with offset, as a Date. */
export const instant = z.unknown().transform((value, ctx): Date => {
  if (typeof value !== 'string') {
    ctx.addIssue({
      code: 'custom',
      message: value === undefined ? 'is required' : `must be an ISO-8601 timestamp, got ${describe(value)}`,
    });
    return z.NEVER;
  }
  const problem = instantProblem(value);
  if (problem) {
    ctx.addIssue({ code: 'custom', message: `${problem}, got "${value.slice(0, 40)}"` });
    return z.NEVER;
  }
  return parseInstant(value);
});

/**
 * A JSON number (large ones arrive lossless and become the nearest double: scores, not
 * ids). Finite only: 1e400 became Infinity, which SQLite stored and then failed every
 * query selecting it, and MySQL refused (answered 503, retried by Canvas for ever).
 */
export const decimal = z.unknown().transform((value, ctx): number => {
  let n = NaN;
  if (typeof value === 'number') n = value;
  else if (isLosslessNumber(value)) n = Number(String(value));
  else if (typeof value === 'string' && /^-?\d+(\.\d+)?$/.test(value)) n = Number(value);
  else {
    ctx.addIssue({ code: 'custom', message: `must be a number, got ${describe(value)}` });
    return z.NEVER;
  }
  if (Number.isFinite(n)) return n;
  ctx.addIssue({ code: 'custom', message: `must be a finite number (at most about 1.8e308), got ${describe(value)}` });
  return z.NEVER;
});

/** INT columns (MySQL and SQLite alike in this schema) hold 32-bit signed integers. */
export const INT_MIN = -2_147_483_648;
export const INT_MAX = 2_147_483_647;

export const integer = z.unknown().transform((value, ctx): number => {
  const n = typeof value === 'number' ? value : isLosslessNumber(value) ? Number(String(value)) : NaN;
  if (Number.isInteger(n) && n >= INT_MIN && n <= INT_MAX) return n;
  ctx.addIssue({
    code: 'custom',
    message: Number.isInteger(n)
      ? `must be an integer from ${INT_MIN} to ${INT_MAX}, got ${describe(value)}`
      : `must be an integer, got ${describe(value)}`,
  });
  return z.NEVER;
});

/**
 * Text bound for a TEXT column. MySQL's holds 65,535 bytes of UTF-8: a longer value made
 * the insert fail, the whole request answer 503 and Canvas retry it in vain. Canvas cuts
 * bodies at 8192 characters (≤ 32 KB), so a longer one keeps its event as INVALID instead.
 * (A lone surrogate is stored as U+FFFD, 3 bytes: Buffer.byteLength counts it so too.)
 */
export const TEXT_MAX_BYTES = 65_535;
export const text = z.string().refine((value) => utf8Bytes(value) <= TEXT_MAX_BYTES, {
  message: `is longer than ${TEXT_MAX_BYTES} bytes of UTF-8`,
});

export function utf8Bytes(value: string): number {
  return Buffer.byteLength(value, 'utf8');
}

/** Characters as MySQL counts them in a VARCHAR(n) of utf8mb4: code points, not UTF-16 units. */
export function codePoints(value: string): number {
  let count = 0;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    // A high surrogate followed by a low one is one character (an emoji is one, not two).
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < value.length) {
      const next = value.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) i++;
    }
    count++;
  }
  return count;
}

/**
 * Text bound for a VARCHAR(length) column. MySQL refuses a longer value (ER_DATA_TOO_LONG,
 * which failed the whole request with 503) while SQLite stores it: checked here, the event
 * is kept as INVALID with the field named, on both databases alike.
 */
export const varchar = (length: number) =>
  z.string().refine((value) => value.length <= length || codePoints(value) <= length, {
    message: `is longer than ${length} characters`,
  });

/**
 * A list of ids stored as JSON text in a TEXT column (submission_comments.attachment_ids):
 * bounded by count so the widest ids (20 digits, quoted, comma) still fit 65,535 bytes.
 */
export const ID_LIST_MAX = Math.floor((TEXT_MAX_BYTES - 2 + 1) / ('"12345678901234567890"'.length + 1));
export const idList = z
  .array(canvasId)
  .max(ID_LIST_MAX, `has more than ${ID_LIST_MAX} ids (the most that fit the column as JSON)`);

/** Bytes of a string once written into JSON text (escapes included): for values kept inside a JSON column. */
export function jsonStringBytes(value: string): number {
  return utf8Bytes(JSON.stringify(value));
}

/**
 * Fields Canvas may send as null, leave out, or fill: `undefined` (absent) and `null`
 * (explicitly empty) stay distinct so merges can tell "unknown" from "cleared".
 */
export const optionalNullable = <T extends z.ZodTypeAny>(schema: T) => schema.nullable().optional();

export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (isLosslessNumber(value)) return `the number ${String(value)}`;
  if (typeof value === 'string') return `"${value.slice(0, 40)}"`;
  if (typeof value === 'object') return 'an object';
  return `${typeof value} ${String(value).slice(0, 40)}`;
}

/** The metadata fields projections read. Others are kept in the payload, untouched. */
export const canvasMetadata = z.looseObject({
  root_account_id: optionalNullable(canvasId),
  root_account_lti_guid: optionalNullable(z.string()),
  context_id: optionalNullable(canvasId),
  context_type: optionalNullable(z.string()),
  context_account_id: optionalNullable(canvasId),
  context_sis_source_id: optionalNullable(varchar(255)), // courses.sis_source_id
  user_id: optionalNullable(canvasId),
  user_login: optionalNullable(varchar(255)), // users.login
  user_sis_id: optionalNullable(varchar(255)), // users.sis_id
});

export type CanvasMetadata = z.output<typeof canvasMetadata>;

/** "body.submission_id: must be an id …; body.updated_at: …" from a zod error. */
export function describeIssues(error: z.ZodError, prefix: string): string {
  return error.issues
    .slice(0, 5)
    .map((issue) => {
      const path = [prefix, ...issue.path.map(String)].filter(Boolean).join('.');
      return `${path}: ${issue.message}`;
    })
    .join('; ');
}
