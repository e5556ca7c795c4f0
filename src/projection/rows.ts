// Read-merge-write of one projection row. On MySQL the row is read FOR UPDATE so two
// instances projecting the same row serialise; a row both insert at once makes one
// transaction fail with a duplicate key, and inTransaction retries it. Inside a unit of
// work (unit-of-work.ts) a row read or written earlier in the transaction is not read
// again (the transaction holds its lock, and writeRow keeps the copy current), and the
// writes of the tables it defers are sent together at the end of the transaction.
import { EntityManager, EntityTarget, ObjectLiteral } from 'typeorm';
import { insertRows } from '../db/bulk-insert';
import { unitOfWork } from './unit-of-work';

export async function findForUpdate<E extends ObjectLiteral>(
  tx: EntityManager,
  entity: EntityTarget<E>,
  where: Partial<E>,
): Promise<E | null> {
  const unit = unitOfWork(tx);
  const known = unit?.get(entity, where);
  if (known !== undefined) return known;
  const lock = tx.connection.options.type === 'mysql' ? { lock: { mode: 'pessimistic_write' as const } } : {};
  const row = await tx.findOne(entity, { where: where as never, ...lock });
  unit?.set(entity, where, row);
  return row;
}

/** Inserts `key + changes` when there is no row yet, else updates only what changed. */
export async function writeRow<E extends ObjectLiteral>(
  tx: EntityManager,
  entity: EntityTarget<E>,
  current: E | null,
  key: Partial<E>,
  changes: Partial<E>,
): Promise<void> {
  const unit = unitOfWork(tx);
  const later = unit?.defers(entity) ?? false;
  if (!current) {
    const values = { ...key, ...changes };
    if (!unit) {
      await insertRows(tx, entity, [values]);
      return;
    }
    // The row as a read would return it: columns not written are NULL (no column has a default).
    const row: Record<string, unknown> = {};
    for (const column of tx.connection.getMetadata(entity).columns) {
      row[column.propertyName] = (values as Record<string, unknown>)[column.propertyName] ?? null;
    }
    if (later) unit.insertLater(entity, key, row as E);
    else await insertRows(tx, entity, [values]);
    unit.set(entity, key, row as E);
    return;
  }
  const changed: Partial<E> = {};
  for (const [field, value] of Object.entries(changes)) {
    if (value !== undefined && !sameValue(current[field], value)) (changed as Record<string, unknown>)[field] = value;
  }
  if (Object.keys(changed).length === 0) return;
  if (later) unit!.updateLater(entity, key, changed);
  else await tx.update(entity, key as never, changed as never);
  unit?.set(entity, key, { ...current, ...changed });
}

/** Deletes a row by key, and forgets it. */
export async function deleteRow<E extends ObjectLiteral>(
  tx: EntityManager,
  entity: EntityTarget<E>,
  key: Partial<E>,
): Promise<void> {
  await tx.delete(entity, key as never);
  unitOfWork(tx)?.set(entity, key, null);
}

/**
 * Inserts a row unless one with the same unique key (`conflictColumns`, database names)
 * exists; an existing row is left as it is. Portable (ON DUPLICATE KEY UPDATE on MySQL,
 * ON CONFLICT … DO UPDATE on SQLite, rewriting a key column to its own value) and, unlike
 * INSERT IGNORE, it silences nothing but the duplicate key.
 */
export async function insertUnlessPresent<E extends ObjectLiteral>(
  tx: EntityManager,
  entity: EntityTarget<E>,
  values: Partial<E>,
  conflictColumns: string[],
): Promise<void> {
  const unit = unitOfWork(tx);
  if (unit?.defers(entity)) return unit.insertUnlessPresentLater(entity, values, conflictColumns);
  await insertRows(tx, entity, [values], { key: conflictColumns, update: [conflictColumns[0]] });
}

function sameValue(a: unknown, b: unknown): boolean {
  if (a instanceof Date && b instanceof Date) return a.getTime() === b.getTime();
  return a === b;
}
