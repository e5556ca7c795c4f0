// Keyset (seek) pagination in SQL. A page is "rows after the cursor in (sort column, id)
// order, LIMIT first + 1" — never OFFSET, so page 500 costs what page 1 costs and rows
// inserted meanwhile never shift a page. The ORDER BY and the "after the cursor"
// condition are built here as plain data, for the top-level page below and for the
// per-parent pages of ./per-parent.ts; the NULL rule is in ./page-request.ts.
import type { SelectQueryBuilder } from 'typeorm';
import { ObjectLiteral } from 'typeorm';
import { rowMapper } from '../../db/row-mapper';
import { Connection } from './connection';
import type { Position } from './cursor';
import type { ListOrder, PageRequest } from './page-request';

/** One ORDER BY term, by entity property (TypeORM turns `alias.property` into the column). */
export interface OrderTerm {
  property: string;
  direction: 'ASC' | 'DESC';
  /** A text column: compared as bytes (see comparable). */
  text?: true;
}

/**
 * A sort column as compared in ORDER BY and the keyset condition: text byte for byte on
 * both databases. SQLite compares TEXT so already; MySQL's utf8mb4_bin pads with spaces
 * (`a` = `a `, and `a` sorts after `a\t`), so there the bytes are compared.
 */
export function comparable(column: string, text: boolean | undefined, databaseType: string): string {
  return text && databaseType === 'mysql' ? `CAST(${column} AS BINARY)` : column;
}

/** A WHERE condition in TypeORM's notation (`alias.property`, `:parameter`) and its parameters. */
export interface SqlCondition {
  sql: string;
  parameters: Record<string, unknown>;
}

/** The ORDER BY of a list: its sort column (when it has one), then id, both in its direction. */
export function orderTerms(order: ListOrder): OrderTerm[] {
  const { field, direction } = order;
  const sortTerm: OrderTerm[] = field
    ? [{ property: field.property, direction, ...(field.kind === 'text' ? { text: true as const } : {}) }]
    : [];
  return [...sortTerm, { property: 'id', direction }];
}

/** The rows after `position` in `order`, for a query whose main alias is `alias`, on a `databaseType` database. */
export function afterCondition(
  alias: string,
  order: ListOrder,
  position: Position,
  databaseType = 'sqlite',
): SqlCondition {
  const id = `${alias}.id`;
  const asc = order.direction === 'ASC';
  const op = asc ? '>' : '<';
  const afterId = BigInt(position.id);
  if (!order.field) return { sql: `${id} ${op} :afterId`, parameters: { afterId } };
  const column = comparable(`${alias}.${order.field.property}`, order.field.kind === 'text', databaseType);
  if (position.value === null) {
    // NULL is the lowest value: ascending, every non-NULL row follows; descending, only NULLs do.
    const sql = asc
      ? `(${column} IS NOT NULL OR (${column} IS NULL AND ${id} > :afterId))`
      : `(${column} IS NULL AND ${id} < :afterId)`;
    return { sql, parameters: { afterId } };
  }
  const afterValue = order.field.kind === 'time' ? new Date(position.value) : position.value;
  const nulls = asc ? '' : ` OR ${column} IS NULL`;
  return {
    sql: `(${column} ${op} :afterValue OR (${column} = :afterValue AND ${id} ${op} :afterId)${nulls})`,
    parameters: { afterValue, afterId },
  };
}

/** Restricts `qb` to the rows after `position` in `order`. */
export function applyAfter<E extends ObjectLiteral>(
  qb: SelectQueryBuilder<E>,
  order: ListOrder,
  position: Position,
): void {
  const condition = afterCondition(qb.alias, order, position, qb.connection.options.type);
  qb.andWhere(condition.sql, condition.parameters);
}

/** One page of a top-level list: the rows of `qb` (filters applied) after the cursor. */
export async function findPage<E extends ObjectLiteral>(
  qb: SelectQueryBuilder<E>,
  request: PageRequest,
): Promise<Connection<E>> {
  const all = qb.clone();
  const page = qb.clone();
  if (request.position) applyAfter(page, request.order, request.position);
  const type = qb.connection.options.type;
  for (const term of orderTerms(request.order)) {
    page.addOrderBy(comparable(`${page.alias}.${term.property}`, term.text, type), term.direction);
  }
  page.limit(request.first + 1);
  const rows = (await page.getRawMany()).map(rowMapper(qb.connection, qb.expressionMap.mainAlias!.target, qb.alias));
  return new Connection(rows as E[], request, () => all.getCount());
}
