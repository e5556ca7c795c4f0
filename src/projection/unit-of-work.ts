// What one ingest or replay transaction knows about its projection rows, and the writes
// it holds until commit. Only the ProjectionStore (store.ts) uses it.
//
// A row read FOR UPDATE stays locked until commit, so its copy here is the database's
// state for the rest of the transaction as long as every write of it goes through the
// store, which updates the copy. A row known absent is kept as null: should another
// instance insert it meanwhile, our insert fails with a duplicate key and inTransaction
// retries the whole transaction.
//
// Writes to keyed tables (DomainModule entities declared `keyed`) are held here and sent
// by flush() at the end of the transaction, in a few statements per table: new rows as
// multi-row INSERTs, changed rows as one multi-row upsert of the columns that changed.
// That is only correct while nothing in the transaction reads a keyed table except by
// key through the store (which answers from here): the store refuses any other read of
// them. Tables also read by other criteria (launch facts, root accounts, resource links)
// are written through at once.
import { EntityManager, EntityTarget, ObjectLiteral } from 'typeorm';
import { insertRows } from '../db/bulk-insert';
import { CHANGED_SEQ, idParams } from '../db/columns';
import { rowMapper } from '../db/row-mapper';

const PRELOAD_CHUNK = 500;

interface Held {
  inserts: Map<string, ObjectLiteral>;
  updates: Map<string, { key: ObjectLiteral; changed: ObjectLiteral }>;
  /** Rows inserted unless their unique key (`conflict`) exists: history, participants. */
  unlessPresent: Map<string, ObjectLiteral>;
  conflict?: string[];
}

export class UnitOfWork {
  private readonly rows = new Map<unknown, Map<string, ObjectLiteral | null>>();
  private readonly held = new Map<EntityTarget<ObjectLiteral>, Held>();

  constructor(
    private readonly tx: EntityManager,
    private readonly keyed: ReadonlySet<unknown>,
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

  /** Whether `entity` is keyed: its writes are held until flush(). */
  isKeyed(entity: EntityTarget<ObjectLiteral>): boolean {
    return this.keyed.has(entity);
  }

  /** Holds the insert of a full row (every column, as a read would return it). */
  holdInsert<E extends ObjectLiteral>(entity: EntityTarget<E>, key: Partial<E>, row: E): void {
    this.heldOf(entity).inserts.set(keyOf(key), { ...row });
  }

  /** Holds the update of `changed` fields of an existing row (merged into a held insert of it). */
  holdUpdate<E extends ObjectLiteral>(entity: EntityTarget<E>, key: Partial<E>, changed: Partial<E>): void {
    const held = this.heldOf(entity);
    const k = keyOf(key);
    const inserted = held.inserts.get(k);
    if (inserted) {
      Object.assign(inserted, changed);
      return;
    }
    const update = held.updates.get(k);
    if (update) Object.assign(update.changed, changed);
    else held.updates.set(k, { key: { ...key }, changed: { ...changed } });
  }

  /**
   * Holds an insert-unless-present; false when the same row was already held in this
   * transaction (nothing to add: its insert will go out once).
   */
  holdInsertUnlessPresent<E extends ObjectLiteral>(
    entity: EntityTarget<E>,
    values: Partial<E>,
    conflict: string[],
  ): boolean {
    const held = this.heldOf(entity);
    // The same row from two events of the transaction is one row, whatever its change stamp.
    const { [CHANGED_SEQ]: _stamp, ...row } = values as ObjectLiteral;
    const k = JSON.stringify(row);
    if (held.unlessPresent.has(k)) return false;
    held.unlessPresent.set(k, { ...values });
    held.conflict = conflict;
    return true;
  }

  /** The rows this unit holds a write of, by table: what a strict flush checks against the database. */
  heldRows(): { entity: EntityTarget<ObjectLiteral>; keys: ObjectLiteral[] }[] {
    return [...this.held].map(([entity, held]) => ({
      entity,
      keys: [...held.inserts.keys(), ...held.updates.keys()].map(keyFrom),
    }));
  }

  /** Sends every held write: tables in name order, new rows in key order, then the changed rows. */
  async flush(): Promise<void> {
    const tables = [...this.held].map(([entity, held]) => ({
      entity,
      held,
      table: this.tx.connection.getMetadata(entity).tableName,
    }));
    tables.sort((a, b) => (a.table < b.table ? -1 : a.table > b.table ? 1 : 0));
    this.held.clear();
    for (const { entity, held } of tables) {
      // New rows in key order, so that two transactions inserting the same rows wait on
      // each other instead of deadlocking.
      const inserts = [...held.inserts].sort(([a], [b]) => byNumericId(a, b)).map(([, row]) => row);
      const unlessPresent = [...held.unlessPresent].sort(([a], [b]) => byNumericId(a, b)).map(([, row]) => row);
      await insertRows(this.tx, entity, inserts);
      if (unlessPresent.length > 0) {
        const key = held.conflict!;
        await insertRows(this.tx, entity, unlessPresent, { key, update: [key[0]] });
      }
      await this.updateRows(entity, [...held.updates.values()]);
    }
  }

  /**
   * The changed rows of a table in one statement per chunk: each row whole (as held here,
   * i.e. as the database has it plus the changes), inserted "on duplicate key / on
   * conflict (primary key)" overwriting just the columns that changed in some row. Every
   * row exists and is locked by this transaction, and keyed tables have no other unique
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

  private heldOf(entity: EntityTarget<ObjectLiteral>): Held {
    let held = this.held.get(entity);
    if (!held) this.held.set(entity, (held = { inserts: new Map(), updates: new Map(), unlessPresent: new Map() }));
    return held;
  }
}

/** A key as text: equal keys give equal text whatever the order of their fields. */
export function keyOf(key: ObjectLiteral): string {
  return JSON.stringify(
    Object.keys(key)
      .sort()
      .map((k) => [k, String(key[k])]),
  );
}

function keyFrom(text: string): ObjectLiteral {
  return Object.fromEntries(JSON.parse(text) as [string, string][]);
}

function byNumericId(a: string, b: string): number {
  return a.length - b.length || (a < b ? -1 : a > b ? 1 : 0);
}
