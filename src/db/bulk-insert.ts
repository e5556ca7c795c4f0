// Multi-row INSERTs (and upserts) written straight from the entity metadata. Ingest
// sends a few of these per transaction, hundreds of rows each; TypeORM's InsertQueryBuilder
// spent more CPU building them (a named parameter per value, then a regular-expression
// pass over the whole statement per parameter) than the database spent running them.
// Values go through the same conversion TypeORM applies (the column's transformer, then
// the driver's preparePersistentValue), so what is stored is unchanged.
import { EntityManager, EntityTarget, ObjectLiteral } from 'typeorm';

/** Rows per statement (SQLite allows 32,766 bound parameters; rows here have ≤ 25 columns). */
const MAX_ROWS = 500;
/** Bytes of text per statement, under MySQL's default max_allowed_packet (16 MiB) with room to spare. */
const MAX_TEXT_BYTES = 2 * 1024 * 1024;

export interface OnConflict {
  /** The unique key (database column names) whose duplicate turns the insert into an update. */
  key: string[];
  /** Columns (database names) an existing row takes from the new one. */
  update: string[];
}

/**
 * Inserts `rows` (entity property names) in as few statements as the limits allow, in
 * the order given. Columns no row sets are left out (the database fills them: the
 * event log's auto-increment id). With `onConflict`, a row whose key exists updates
 * that row's `update` columns instead. Answers the driver's result of the last statement.
 */
export async function insertRows<E extends ObjectLiteral>(
  tx: EntityManager,
  entity: EntityTarget<E>,
  rows: Partial<E>[],
  onConflict?: OnConflict,
): Promise<unknown> {
  let result: unknown;
  if (rows.length === 0) return result;
  const { driver } = tx.connection;
  const metadata = tx.connection.getMetadata(entity);
  const columns = metadata.columns.filter((column) => rows.some((row) => column.getEntityValue(row) !== undefined));
  const mysql = driver.options.type === 'mysql';
  const head = `INSERT INTO ${driver.escape(metadata.tableName)} (${columns.map((c) => driver.escape(c.databaseName)).join(', ')}) VALUES `;
  const tail = onConflict ? conflictClause(onConflict, mysql, (name) => driver.escape(name)) : '';
  const tuple = `(${columns.map(() => '?').join(', ')})`;

  for (let start = 0; start < rows.length;) {
    const parameters: unknown[] = [];
    let bytes = 0;
    let end = start;
    while (end < rows.length && end - start < MAX_ROWS && (end === start || bytes < MAX_TEXT_BYTES)) {
      for (const column of columns) {
        const value = driver.preparePersistentValue(column.getEntityValue(rows[end]) ?? null, column) as unknown;
        if (typeof value === 'string') bytes += value.length;
        parameters.push(value);
      }
      end++;
    }
    const tuples = new Array<string>(end - start).fill(tuple).join(', ');
    result = await tx.query(head + tuples + tail, parameters);
    start = end;
  }
  return result;
}

/**
 * Inserts one row and returns its auto-increment id as a decimal string (mysql2 answers
 * the insert id, better-sqlite3 the last row id, a BigInt).
 */
export async function insertReturningId<E extends ObjectLiteral>(
  tx: EntityManager,
  entity: EntityTarget<E>,
  values: Partial<E>,
): Promise<string> {
  const raw = await insertRows(tx, entity, [values]);
  const id =
    typeof raw === 'object' && raw !== null && 'insertId' in raw ? (raw as { insertId: unknown }).insertId : raw;
  return String(id);
}

function conflictClause({ key, update }: OnConflict, mysql: boolean, escape: (name: string) => string): string {
  if (mysql) return ` ON DUPLICATE KEY UPDATE ${update.map((c) => `${escape(c)} = VALUES(${escape(c)})`).join(', ')}`;
  return ` ON CONFLICT (${key.map(escape).join(', ')}) DO UPDATE SET ${update.map((c) => `${escape(c)} = excluded.${escape(c)}`).join(', ')}`;
}
