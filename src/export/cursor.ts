// The export cursor (X-Next-Cursor, ?since=): a position in the event log's arrival order,
// opaque to clients: base64url of `{"v":1,"seq":"<decimal>"}`. A malformed one is a 400
// naming `since`; `since=0` (or a cursor of sequence 0) means "everything".
import { z } from 'zod';
import { BadInputError } from '../errors';

const CURSOR_VERSION = 1;
const MAX_CURSOR_LENGTH = 200;
const BIGINT_MAX = 2n ** 63n - 1n;

const cursorBody = z.strictObject({
  v: z.literal(CURSOR_VERSION),
  seq: z
    .string()
    .regex(/^(0|[1-9][0-9]{0,18})$/)
    .refine((seq) => BigInt(seq) <= BIGINT_MAX),
});

export function encodeExportCursor(sequence: string): string {
  return Buffer.from(JSON.stringify({ v: CURSOR_VERSION, seq: sequence })).toString('base64url');
}

/** The log sequence of a `since` parameter; throws BadInputError naming `since`. */
export function decodeExportCursor(text: string): string {
  if (text === '0') return '0';
  const bad = () =>
    new BadInputError('not a cursor: pass the X-Next-Cursor header of an earlier export, or 0', 'since');
  if (text.length > MAX_CURSOR_LENGTH || !/^[A-Za-z0-9_-]+$/.test(text)) throw bad();
  let body: unknown;
  try {
    body = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
  } catch {
    throw bad();
  }
  const parsed = cursorBody.safeParse(body);
  if (!parsed.success) throw bad();
  return parsed.data.seq;
}
