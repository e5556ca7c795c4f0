// Read-merge-write of one projection row. On MySQL the row is read FOR UPDATE so two
// instances projecting the same row serialise; a row both insert at once makes one
// transaction fail with a duplicate key, and inTransaction retries it.
import { EntityManager, EntityTarget, ObjectLiteral } from 'typeorm';

export async function findForUpdate<E extends ObjectLiteral>(
  tx: EntityManager,
  entity: EntityTarget<E>,
  where: Partial<E>,
): Promise<E | null> {
  const lock = tx.connection.options.type === 'mysql' ? { lock: { mode: 'pessimistic_write' as const } } : {};
  return tx.findOne(entity, { where: where as never, ...lock });
}

/** Inserts `key + changes` when there is no row yet, else updates only what changed. */
export async function writeRow<E extends ObjectLiteral>(
  tx: EntityManager,
  entity: EntityTarget<E>,
  current: E | null,
  key: Partial<E>,
  changes: Partial<E>,
): Promise<void> {
  if (!current) {
    await tx.insert(entity, { ...key, ...changes } as never);
    return;
  }
  const changed: Partial<E> = {};
  for (const [field, value] of Object.entries(changes)) {
    if (value !== undefined && !sameValue(current[field], value)) (changed as Record<string, unknown>)[field] = value;
  }
  if (Object.keys(changed).length > 0) await tx.update(entity, key as never, changed as never);
}

function sameValue(a: unknown, b: unknown): boolean {
  if (a instanceof Date && b instanceof Date) return a.getTime() === b.getTime();
  return a === b;
}

/**
 * Inserts one row and returns its auto-increment id as a decimal string. Bypasses
 * TypeORM's entity update, which does number arithmetic on SQLite's BigInt row id.
 */
export async function insertReturningId<E extends ObjectLiteral>(
  tx: EntityManager,
  entity: EntityTarget<E>,
  values: Partial<E>,
): Promise<string> {
  const result = await tx
    .createQueryBuilder()
    .insert()
    .into(entity)
    .values(values as never)
    .updateEntity(false)
    .execute();
  const raw = result.raw as unknown;
  const id =
    typeof raw === 'object' && raw !== null && 'insertId' in raw ? (raw as { insertId: unknown }).insertId : raw;
  return String(id);
}
