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

/** A JSON number (large ones arrive lossless and become the nearest double: scores, not ids). */
export const decimal = z.unknown().transform((value, ctx): number => {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (isLosslessNumber(value)) return Number(String(value));
  if (typeof value === 'string' && /^-?\d+(\.\d+)?$/.test(value)) return Number(value);
  ctx.addIssue({ code: 'custom', message: `must be a number, got ${describe(value)}` });
  return z.NEVER;
});

export const integer = z.unknown().transform((value, ctx): number => {
  const n = typeof value === 'number' ? value : isLosslessNumber(value) ? Number(String(value)) : NaN;
  if (Number.isSafeInteger(n)) return n;
  ctx.addIssue({ code: 'custom', message: `must be an integer, got ${describe(value)}` });
  return z.NEVER;
});

/**
 * Text bound for a TEXT column. MySQL's holds 65,535 bytes of UTF-8: a longer value made
 * the insert fail, the whole request answer 503 and Canvas retry it in vain. Canvas cuts
 * bodies at 8192 characters (≤ 32 KB), so a longer one keeps its event as INVALID instead.
 */
export const TEXT_MAX_BYTES = 65_535;
export const text = z.string().refine((value) => Buffer.byteLength(value, 'utf8') <= TEXT_MAX_BYTES, {
  message: `is longer than ${TEXT_MAX_BYTES} bytes of UTF-8`,
});

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
  context_sis_source_id: optionalNullable(z.string().max(255)), // courses.sis_source_id is VARCHAR(255)
  user_id: optionalNullable(canvasId),
  user_login: optionalNullable(z.string()),
  user_sis_id: optionalNullable(z.string()),
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
