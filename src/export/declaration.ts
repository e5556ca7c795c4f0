// What a domain declares to be exported (GET /export/<name>.ndjson|.csv): its table,
// its columns (named like its GraphQL fields, id first), the query parameters of its
// GraphQL filter and how they narrow the query (the domain's own filter → SQL code).
// Domains declare; src/modules.ts lists the declarations; the route (export.route.ts)
// streams them. Adding an entity is one declaration in its domain and one line there.
import type { EntityTarget, ObjectLiteral, SelectQueryBuilder } from 'typeorm';

/** How a query parameter is read: repeated or comma-separated for the list kinds. */
export type ParamKind = 'id' | 'ids' | 'string' | 'strings' | 'boolean' | 'time' | 'number';

/** A parsed parameter value: ids and strings as text, times as instants. */
export type ParamValue = string | string[] | boolean | Date | number;

export type ExportParams = Record<string, ParamValue | undefined>;

/**
 * How a column is written. `id`: 64-bit decimal string; `list`: an array of strings (a
 * JSON array in both formats); `time`: ISO-8601 UTC with milliseconds; `json`: stored JSON
 * text, emitted losslessly (as a value in NDJSON, as compact JSON text in CSV).
 */
export type ColumnKind = 'id' | 'list' | 'time' | 'text' | 'number' | 'boolean' | 'json';

export interface ExportColumn<E> {
  /** The column's name: the GraphQL field's. */
  name: string;
  kind: ColumnKind;
  /** The value of the row; the entity property of the same name when omitted. */
  value?: (row: E) => unknown;
  /** Personal data: empty unless the caller is an admin (as in GraphQL). */
  personal?: boolean;
}

export interface ExportDeclaration<E extends ObjectLiteral & { id: string }> {
  /** The path segment: GET /export/<name>.ndjson. */
  name: string;
  entity: EntityTarget<E>;
  /** Only admin tokens may export it (the event log). */
  adminOnly?: boolean;
  /**
   * The column that says when a row last changed, in log sequences: `changedSeq` for a
   * read model (stamped by the projection store), `id` for the log itself (never changes).
   */
  changedBy: 'changedSeq' | 'id';
  /** The GraphQL filter's fields as query parameters. */
  params: Record<string, ParamKind>;
  /**
   * Narrows `qb` by the parsed parameters, with the code GraphQL uses for the same filter.
   * A bad value throws BadInputError (its path `filter.x` or `x` names the parameter).
   */
  filter?: (qb: SelectQueryBuilder<E>, params: ExportParams) => void;
  /** The columns, id first. */
  columns: ExportColumn<E>[];
}

/** A declaration with its row type checked, stored without it (the route treats all alike). */
export function declareExport<E extends ObjectLiteral & { id: string }>(
  declaration: ExportDeclaration<E>,
): ExportDeclaration<ObjectLiteral & { id: string }> {
  return declaration as unknown as ExportDeclaration<ObjectLiteral & { id: string }>;
}

/** Columns that are entity properties of the same name, in the order given. */
export function columnsOf<E>(kinds: Partial<Record<keyof E & string, ColumnKind>>): ExportColumn<E>[] {
  return Object.entries(kinds).map(([name, kind]) => ({ name, kind: kind as ColumnKind }));
}
