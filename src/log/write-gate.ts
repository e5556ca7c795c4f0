// The log write gate: what makes "the highest sequence committed in the log" a cursor that
// loses nothing (exports' X-Next-Cursor). Sequences are handed out when events are
// inserted, not when they commit: on MySQL two ingest transactions (two groups of one
// instance, or two instances) may commit in the other order, so a reader could see
// sequence 120 committed while 110 is still in flight, and a cursor of 120 would skip
// the rows 110 changes once it commits.
//
// So every transaction that appends to the log first takes the gate row shared (ingest
// transactions never wait on each other for it), and the position is read holding it
// exclusively: that waits until every transaction in flight has committed or rolled
// back, and new ones wait (milliseconds) until the position is read; sequences handed
// out afterwards are all higher. SQLite runs one transaction at a time (db/transaction.ts
// queues them), so there the position is read in that queue, between transactions.
import { DataSource, EntityManager } from 'typeorm';
import { inTransaction } from '../db/transaction';

const isMysql = (tx: EntityManager) => tx.connection.options.type === 'mysql';

/** Called first in every transaction that inserts into the event log. */
export async function enterLogWrite(tx: EntityManager): Promise<void> {
  if (isMysql(tx)) await tx.query('SELECT id FROM log_write_gate WHERE id = 1 LOCK IN SHARE MODE');
}

/**
 * The highest log sequence such that every event up to it is committed, and every row
 * its projection wrote is visible: "0" for an empty log.
 */
export function committedLogPosition(dataSource: DataSource): Promise<string> {
  return inTransaction(dataSource, async (tx) => {
    if (isMysql(tx)) await tx.query('SELECT id FROM log_write_gate WHERE id = 1 FOR UPDATE');
    const [row] = (await tx.query('SELECT MAX(id) AS seq FROM events')) as { seq: unknown }[];
    return row?.seq == null ? '0' : String(row.seq);
  });
}
