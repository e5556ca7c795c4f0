// Multi-row INSERTs (and upserts) written straight from the entity metadata. Ingest
// sends a few of these per transaction, hundreds of rows each; TypeORM's InsertQueryBuilder
// spent more CPU building them (a named parameter per value, then a regular-expression
// pass over the whole statement per parameter) than the database spent running them.
// Values go through the same conversion TypeORM applies (the column's transformer, then
// the driver's preparePersistentValue), so what is stored is unchanged. One difference:
// a column some rows leave undefined is written NULL, where TypeORM wrote DEFAULT; no
// column here has a default.
import { EntityManager, EntityTarget, ObjectLiteral } from 'typeorm';

/** Bound parameters per statement (SQLite's limit is 32,766). */
const MAX_PARAMETERS = 30_000;
const MAX_ROWS = 500;
/**
 * UTF-8 bytes of text per statement. mysql2 escapes values into the statement text
 * (a quote or backslash doubles), and MariaDB's default max_allowed_packet is 16 MiB
 * (MySQL 8's 64 MiB): 4 MiB leaves room for that, and a row is never split, so one
 * event up to the 8 MiB body limit still goes alone in its own statement.
 */
const MAX_TEXT_BYTES = 4 * 1024 * 1024;

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
  if (onConflict && onConflict.update.length === 0) throw new Error('insertRows: onConflict needs columns to update');
  const { driver } = tx.connection;
  const metadata = tx.connection.getMetadata(entity);
  const columns = metadata.columns.filter((column) => rows.some((row) => column.getEntityValue(row) !== undefined));
  const mysql = driver.options.type === 'mysql';
  const head = `INSERT INTO ${driver.escape(metadata.tableName)} (${columns.map((c) => driver.escape(c.databaseName)).join(', ')}) VALUES `;
  const tail = onConflict ? conflictClause(onConflict, mysql, (name) => driver.escape(name)) : '';
  const tuple = `(${columns.map(() => '?').join(', ')})`;

  const maxRows = Math.max(1, Math.min(MAX_ROWS, Math.floor(MAX_PARAMETERS / columns.length)));
  for (let start = 0; start < rows.length;) {
    const parameters: unknown[] = [];
    let bytes = 0;
    let end = start;
    while (end < rows.length && end - start < maxRows) {
      const values = columns.map(
        (column) => driver.preparePersistentValue(column.getEntityValue(rows[end]) ?? null, column) as unknown,
      );
      const rowBytes = values.reduce<number>((sum, v) => sum + (typeof v === 'string' ? Buffer.byteLength(v) : 8), 0);
      // Close the statement before a row that would take it over the limit (a first row always goes).
      if (end > start && bytes + rowBytes > MAX_TEXT_BYTES) break;
      bytes += rowBytes;
      parameters.push(...values);
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
