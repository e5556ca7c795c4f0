// What one page of a list asks for: the list's order (sort column, direction, and the
// scope its cursors carry) and the checked `first` / `after` arguments.
//
// Sort order, identical on MySQL and SQLite because both do it natively: ties break on
// id in the same direction, and NULL counts as the lowest value — first in ascending
// order, last in descending order. Keeping the native NULL order lets the existing
// (column, id) indexes serve the ORDER BY (./keyset.ts builds the SQL).
import { BadInputError } from '../../errors';
import { decodeCursor, Position } from './cursor';

export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;

/**
 * A column a list can be sorted on before its id. Text is compared byte for byte (UTF-8,
 * so by code point) on both databases: MySQL's utf8mb4_bin would pad with spaces.
 */
export interface SortField {
  property: string;
  kind: 'time' | 'number' | 'text';
}

export interface ListOrder {
  /** Names the list and order; cursors carry it so they only work where they were made. */
  scope: string;
  /** null: by id alone. */
  field: SortField | null;
  direction: 'ASC' | 'DESC';
}

/** Validated `first` / `after` for one list and order. */
export interface PageRequest {
  first: number;
  after: string | null;
  position: Position | null;
  order: ListOrder;
}

/** `first` and `after` as GraphQL passes them (see PageArgs in ./connection.ts). */
export interface PageArguments {
  first?: number | null;
  after?: string | null;
}

/** Checks `first` and `after` for a list in `order`; throws BadInputError naming the argument. */
export function pageRequest(args: PageArguments, order: ListOrder): PageRequest {
  const first = args.first ?? DEFAULT_PAGE_SIZE;
  if (first < 0 || first > MAX_PAGE_SIZE) {
    throw new BadInputError(`must be between 0 and ${MAX_PAGE_SIZE}, got ${first}`, 'first');
  }
  const after = args.after ?? null;
  return { first, after, position: after === null ? null : decodeCursor(after, order), order };
}
