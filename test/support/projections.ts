// Reads every projection table in primary-key order, as plain comparable data, so tests
// can assert that two ways of building projections (live, replayed, reordered) agree.
import { DataSource } from 'typeorm';
import { projectionEntities } from '../../src/domains';

export async function snapshotProjections(dataSource: DataSource): Promise<Record<string, unknown[]>> {
  const snapshot: Record<string, unknown[]> = {};
  for (const entity of projectionEntities) {
    const metadata = dataSource.getMetadata(entity);
    const order = Object.fromEntries(metadata.primaryColumns.map((c) => [c.propertyName, 'ASC' as const]));
    const rows = await dataSource.manager.find(entity, { order });
    snapshot[metadata.tableName] = rows.map((row) => {
      const plain: Record<string, unknown> = {};
      for (const column of metadata.columns) {
        // Sequence ids and event ids of history rows depend on arrival order, not state.
        if (metadata.tableName === 'submission_versions' && ['id', 'eventId'].includes(column.propertyName)) continue;
        const value = (row as Record<string, unknown>)[column.propertyName];
        plain[column.propertyName] = value instanceof Date ? value.toISOString() : value;
      }
      return plain;
    });
  }
  return snapshot;
}
