// Reads every projection table as plain comparable data, so tests can assert that two
// ways of building projections (live, replayed, reordered, crashed and resumed) agree.
// Rows are in primary-key order; a table keyed by a sequence number (history rows) has
// that number and its event's sequence number left out, since both follow arrival
// order, and its rows sorted by content instead. Every table's `changedSeq` (exports'
// change tracking: the sequence of the last event that wrote the row) is left out too.
import { DataSource } from 'typeorm';
import { CHANGED_SEQ } from '../../src/db/columns';
import { projectionEntities } from '../../src/modules';
import { EventRecord } from '../../src/log/event.entity';
import { RejectedEvent } from '../../src/log/rejected-event.entity';

const ARRIVAL_ORDER_COLUMNS = new Set(['eventId']);

export async function snapshotProjections(dataSource: DataSource): Promise<Record<string, unknown[]>> {
  const snapshot: Record<string, unknown[]> = {};
  for (const entity of projectionEntities) {
    const metadata = dataSource.getMetadata(entity);
    const order = Object.fromEntries(metadata.primaryColumns.map((c) => [c.propertyName, 'ASC' as const]));
    const sequenceKeyed = metadata.primaryColumns.some((c) => c.isGenerated);
    const rows = await dataSource.manager.find(entity, { order });
    const plainRows = rows.map((row) => {
      const plain: Record<string, unknown> = {};
      for (const column of metadata.columns) {
        if (sequenceKeyed && (column.isGenerated || ARRIVAL_ORDER_COLUMNS.has(column.propertyName))) continue;
        if (column.propertyName === CHANGED_SEQ) continue;
        const value = (row as Record<string, unknown>)[column.propertyName];
        plain[column.propertyName] = value instanceof Date ? value.toISOString() : value;
      }
      return plain;
    });
    if (sequenceKeyed) {
      const keyed = plainRows.map((row) => [JSON.stringify(row), row] as const);
      keyed.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
      snapshot[metadata.tableName] = keyed.map(([, row]) => row);
    } else {
      snapshot[metadata.tableName] = plainRows;
    }
  }
  return snapshot;
}

/**
 * Empties the event log and every projection (DELETE, not TRUNCATE: cheap on MySQL), in
 * one transaction: one commit instead of one per table, which is most of the cost on MySQL.
 */
export async function clearEverything(ds: DataSource): Promise<void> {
  await ds.transaction(async (tx) => {
    for (const entity of [...projectionEntities, EventRecord, RejectedEvent]) {
      await tx.createQueryBuilder().delete().from(entity).execute();
    }
  });
}
