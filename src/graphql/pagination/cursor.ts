// The cursor codec. A cursor is opaque to clients: base64url of
// [version, list scope, sort value, id] for one row. It names the list and order that
// made it, so a cursor used elsewhere is refused, and decoding checks every part, so a
// forged or damaged cursor is a BadInputError on `after`, never a broken query.
import { idProblem } from '../../canvas/canvas-id';
import { BadInputError } from '../../errors';
import type { ListOrder, SortField } from './page-request';

const CURSOR_VERSION = 1;

/** The longest cursor of a list sorted by a time or number (ids and scopes are short). */
const MAX_CURSOR_LENGTH = 2000;
/**
 * The longest cursor of a list sorted by text: it holds the whole value (a TEXT column,
 * at most 65,535 bytes, up to 6 bytes each once escaped in JSON), in base64. A shorter
 * bound would leave the pages after a long title unreachable; decoding it takes a
 * millisecond, and the request body limit (1 MB) holds it.
 */
const MAX_TEXT_CURSOR_LENGTH = Math.ceil(((65_535 * 6 + 200) * 4) / 3);

/** A row's sort value as a cursor holds it: times as ISO strings, null for no value. */
export type SortValue = string | number | null;

/** Where a cursor points: the sort value and id of the row to continue after. */
export interface Position {
  value: SortValue;
  id: string;
}

function sortValueOf(row: Record<string, unknown>, field: SortField | null): SortValue {
  if (!field) return null;
  const value = row[field.property];
  if (value === null || value === undefined) return null;
  return value instanceof Date ? value.toISOString() : (value as number | string);
}

/** The cursor of `row` (an entity with an id) in a list in `order`. */
export function encodeCursor(row: Record<string, unknown>, order: ListOrder): string {
  const payload = [CURSOR_VERSION, order.scope, sortValueOf(row, order.field), String(row.id)];
  return Buffer.from(JSON.stringify(payload), 'utf8').toString('base64url');
}

/** The position `cursor` names in a list in `order`; throws BadInputError on `after` when it is not one. */
export function decodeCursor(cursor: string, order: ListOrder): Position {
  const invalid = () =>
    new BadInputError('is not a cursor from this API: pass a cursor a previous page returned', 'after');
  const maxLength = order.field?.kind === 'text' ? MAX_TEXT_CURSOR_LENGTH : MAX_CURSOR_LENGTH;
  let payload: unknown;
  try {
    payload =
      cursor.length <= maxLength && /^[A-Za-z0-9_-]+$/.test(cursor)
        ? JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'))
        : null;
  } catch {
    throw invalid();
  }
  if (
    !Array.isArray(payload) ||
    payload.length !== 4 ||
    payload[0] !== CURSOR_VERSION ||
    typeof payload[1] !== 'string'
  ) {
    throw invalid();
  }
  const [, scope, value, id] = payload as [number, string, unknown, unknown];
  if (scope !== order.scope) {
    throw new BadInputError(
      `is a cursor of another list or order (${scope}), not of ${order.scope}: cursors only continue the list that made them`,
      'after',
    );
  }
  if (typeof id !== 'string' || idProblem(id)) throw invalid();
  if (value === null) return { value, id };
  const kind = order.field?.kind;
  if (kind === 'number' && typeof value === 'number' && Number.isFinite(value)) return { value, id };
  if (kind === 'time' && typeof value === 'string' && !Number.isNaN(Date.parse(value))) return { value, id };
  if (kind === 'text' && typeof value === 'string') return { value, id };
  throw invalid();
}
