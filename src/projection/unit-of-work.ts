// What one ingest transaction knows about its projection rows, and the writes it has
// not sent yet. A row read FOR UPDATE stays locked until commit, so its copy here is the
// database's state for the rest of the transaction as long as every write of it goes
// through writeRow (rows.ts), which updates the copy. A row known absent is kept as
// null: should another instance insert it meanwhile, our insert fails with a duplicate
// key and inTransaction retries the whole transaction, as before.
//
// Writes to the tables the domains declare as keyedEntities are held here and sent by
// flush() at the end of the transaction, in a few statements per table: new rows as
// multi-row INSERTs, changed rows as one multi-row upsert of the columns that changed.
// That is only correct while nothing in the transaction reads those tables except
// through findForUpdate (which answers from here): the projections read them by id only.
// Tables also read by other criteria (launch facts, root accounts, resource links) are
// written through at once.
//
// Only transactions that run in a unit of work use it (ingest, replay); elsewhere the
// helpers in rows.ts read and write the database every time.
import { EntityManager, EntityTarget, ObjectLiteral } from 'typeorm';
import { insertRows } from '../db/bulk-insert';
import { idParams } from '../db/columns';
import { rowMapper } from '../db/row-mapper';

const PRELOAD_CHUNK = 500;

interface Pending {
  inserts: Map<string, ObjectLiteral>;
  updates: Map<string, { key: ObjectLiteral; changed: ObjectLiteral }>;
  /** Rows inserted unless their unique key (`conflict`) exists: history, participants. */
  unlessPresent: ObjectLiteral[];
  conflict?: string[];
}

export class UnitOfWork {
  private readonly rows = new Map<unknown, Map<string, ObjectLiteral | null>>();
  private readonly facts = new Set<string>();
  private readonly pending = new Map<EntityTarget<ObjectLiteral>, Pending>();

  constructor(
    private readonly tx: EntityManager,
    private readonly deferred: ReadonlySet<unknown>,
  ) {}

  /** The known state of a row: undefined when not known (read it), null when known absent. */
  get<E extends ObjectLiteral>(entity: EntityTarget<E>, key: Partial<E>): E | null | undefined {
    const row = this.rows.get(entity)?.get(keyOf(key));
    return row === undefined ? undefined : row === null ? null : ({ ...row } as E);
  }

  set<E extends ObjectLiteral>(entity: EntityTarget<E>, key: Partial<E>, row: E | null): void {
    let table = this.rows.get(entity);
    if (!table) this.rows.set(entity, (table = new Map()));
    table.set(keyOf(key), row === null ? null : { ...row });
  }

  /** Forgets a row (written by other means than writeRow): the next read goes to the database. */
  forget<E extends ObjectLiteral>(entity: EntityTarget<E>, key: Partial<E>): void {
    this.rows.get(entity)?.delete(keyOf(key));
  }

  /** Whether writes of `entity` wait for flush(). */
  defers(entity: EntityTarget<ObjectLiteral>): boolean {
    return this.deferred.has(entity);
  }

  /** Holds the insert of a full row (every column, as a read would return it). */
  insertLater<E extends ObjectLiteral>(entity: EntityTarget<E>, key: Partial<E>, row: E): void {
    this.pendingOf(entity).inserts.set(keyOf(key), { ...row });
  }

  /** Holds the update of `changed` fields of an existing row (merged into a pending insert of it). */
  updateLater<E extends ObjectLiteral>(entity: EntityTarget<E>, key: Partial<E>, changed: Partial<E>): void {
    const pending = this.pendingOf(entity);
    const k = keyOf(key);
    const inserted = pending.inserts.get(k);
    if (inserted) {
      Object.assign(inserted, changed);
      return;
    }
    const update = pending.updates.get(k);
    if (update) Object.assign(update.changed, changed);
    else pending.updates.set(k, { key: { ...key }, changed: { ...changed } });
  }

  insertUnlessPresentLater<E extends ObjectLiteral>(entity: EntityTarget<E>, values: Partial<E>, conflict: string[]) {
    const pending = this.pendingOf(entity);
    pending.unlessPresent.push({ ...values });
    pending.conflict = conflict;
  }

  /** Sends every held write: tables in name order, new rows in key order, then the changed rows. */
  async flush(): Promise<void> {
    const tables = [...this.pending].map(([entity, pending]) => ({
      entity,
      pending,
      table: this.tx.connection.getMetadata(entity).tableName,
    }));
    tables.sort((a, b) => (a.table < b.table ? -1 : a.table > b.table ? 1 : 0));
    this.pending.clear();
    for (const { entity, pending } of tables) {
      // New rows in key order, so that two transactions inserting the same rows wait on
      // each other instead of deadlocking.
      const inserts = [...pending.inserts].sort(([a], [b]) => byNumericId(a, b)).map(([, row]) => row);
      const unlessPresent = pending.unlessPresent
        .map((row) => [JSON.stringify(row), row] as const)
        .sort(([a], [b]) => byNumericId(a, b))
        .map(([, row]) => row);
      await insertRows(this.tx, entity, inserts);
      if (unlessPresent.length > 0) {
        const key = pending.conflict!;
        await insertRows(this.tx, entity, unlessPresent, { key, update: [key[0]] });
      }
      await this.updateRows(entity, [...pending.updates.values()]);
    }
  }

  /**
   * The changed rows of a table in one statement per chunk: each row whole (as held here,
   * i.e. as the database has it plus the changes), inserted "on duplicate key / on
   * conflict (primary key)" overwriting just the columns that changed in some row. Every
   * row exists and is locked by this transaction, and these tables have no other unique
   * key, so the insert always meets its own row and never creates one.
   */
  private async updateRows(
    entity: EntityTarget<ObjectLiteral>,
    updates: { key: ObjectLiteral; changed: ObjectLiteral }[],
  ): Promise<void> {
    if (updates.length === 0) return;
    const metadata = this.tx.connection.getMetadata(entity);
    const changedColumns = new Set<string>();
    for (const { changed } of updates) {
      for (const field of Object.keys(changed))
        changedColumns.add(metadata.findColumnWithPropertyName(field)!.databaseName);
    }
    const rows = updates.map(({ key }) => {
      const row = this.get(entity, key);
      if (!row) throw new Error(`unit of work: no row held for an update of ${metadata.tableName}`);
      return row;
    });
    const primary = metadata.primaryColumns.map((c) => c.databaseName);
    await insertRows(this.tx, entity, rows, { key: primary, update: [...changedColumns] });
  }

  /**
   * Reads (and on MySQL locks) the rows of `entity` with these single-column ids in one
   * statement per chunk, in id order, so concurrent transactions lock in the same order.
   * Ids already known are skipped; ids without a row are remembered as absent.
   */
  async preload<E extends ObjectLiteral>(entity: EntityTarget<E>, column: keyof E & string, ids: string[]) {
    const wanted = [...new Set(ids)].filter((id) => this.get(entity, { [column]: id } as Partial<E>) === undefined);
    wanted.sort(byNumericId);
    // Raw rows through the row mapper: a batch preloads thousands of rows, and TypeORM's
    // hydration of them cost more than the statement.
    const toEntity = rowMapper(this.tx.connection, entity, 'p');
    for (let start = 0; start < wanted.length; start += PRELOAD_CHUNK) {
      const chunk = wanted.slice(start, start + PRELOAD_CHUNK);
      const query = this.tx
        .createQueryBuilder(entity, 'p')
        .where(`p.${column} IN (:...ids)`, { ids: idParams(chunk) })
        .orderBy(`p.${column}`, 'ASC');
      if (this.tx.connection.options.type === 'mysql') query.setLock('pessimistic_write');
      const found = (await query.getRawMany()).map(toEntity);
      const byId = new Map(found.map((row) => [String(row[column]), row]));
      for (const id of chunk) this.set(entity, { [column]: id } as Partial<E>, byId.get(id) ?? null);
    }
  }

  /** Remembers that something is true for the rest of the transaction; false if it already was. */
  learn(fact: string): boolean {
    if (this.facts.has(fact)) return false;
    this.facts.add(fact);
    return true;
  }

  private pendingOf(entity: EntityTarget<ObjectLiteral>): Pending {
    let pending = this.pending.get(entity);
    if (!pending) this.pending.set(entity, (pending = { inserts: new Map(), updates: new Map(), unlessPresent: [] }));
    return pending;
  }
}

const units = new WeakMap<EntityManager, UnitOfWork>();

/** Runs `work` in a unit of work of the transaction `tx`, and sends its held writes after. */
export async function withUnitOfWork<T>(
  tx: EntityManager,
  deferred: ReadonlySet<unknown>,
  work: (unit: UnitOfWork) => Promise<T>,
): Promise<T> {
  const unit = new UnitOfWork(tx, deferred);
  units.set(tx, unit);
  try {
    const result = await work(unit);
    await unit.flush();
    return result;
  } finally {
    units.delete(tx);
  }
}

/** The unit of work of `tx`, when its transaction runs in one. */
export function unitOfWork(tx: EntityManager): UnitOfWork | undefined {
  return units.get(tx);
}

function keyOf(key: ObjectLiteral): string {
  return JSON.stringify(
    Object.keys(key)
      .sort()
      .map((k) => [k, String(key[k])]),
  );
}

function byNumericId(a: string, b: string): number {
  return a.length - b.length || (a < b ? -1 : a > b ? 1 : 0);
}
