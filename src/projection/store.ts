// The projection store: the only way projectors read and write projection rows. The
// runner builds one per transaction. Inside ingest and replay it holds a unit of work
// (unit-of-work.ts): a row read once is answered from there for the rest of the
// transaction, and the writes of keyed tables wait for flush(). Without one (any other
// caller) every read and write goes to the database at once.
//
// On MySQL a row read by key is read FOR UPDATE, so two instances projecting the same
// row serialise; a row both insert at once makes one transaction fail with a duplicate
// key, and inTransaction retries it.
//
// The rules the store keeps, always: a keyed table is read by key only (its writes are
// held, so a query would miss them). In strict mode (tests) it also fails on: a read by
// part of a key, a write of a row not read first through the store (or written with a
// copy that differs from what it knows), a write to a table another domain owns, and a
// flush after which the database differs from what the store holds.
//
// Change tracking for exports: a table with a `changedSeq` column (ChangedSeqColumn) gets
// the log sequence of the event being projected stamped on every row the store inserts
// or changes, here and not in projectors, so every family has it; replay stamps the same
// sequences again (it projects the same events).
import {
  EntityManager,
  EntityTarget,
  FindManyOptions,
  FindOneOptions,
  ObjectLiteral,
  SelectQueryBuilder,
} from 'typeorm';
import { insertRows } from '../db/bulk-insert';
import { CHANGED_SEQ } from '../db/columns';
import { keyOf, UnitOfWork } from './unit-of-work';

/** What the store checks writes against: which tables are keyed, which domain owns each table. */
export interface StoreRules {
  keyed: ReadonlySet<unknown>;
  /** Table (entity) → the name of the domain module that lists it. */
  owners: ReadonlyMap<unknown, string>;
  /** Fail on every rule break (tests). */
  strict?: boolean;
}

/** A projection row by its `id` column, which a projector will read with store.read. */
export type RowRef = readonly [entity: EntityTarget<ObjectLiteral>, id: string];

/** A row a projection created or changed (by table name and id), for live updates after commit. */
export interface RowChange {
  table: string;
  id: string;
  created: boolean;
}

export class ProjectionRuleError extends Error {
  constructor(message: string) {
    super(`projection store: ${message}`);
    this.name = 'ProjectionRuleError';
  }
}

/** Shared by the stores of one transaction (one per acting domain). */
interface Transaction {
  tx: EntityManager;
  rules: StoreRules;
  unit: UnitOfWork | null;
  /** Strict mode: every row key read or written through the store, by table. */
  seen: Map<unknown, Set<string>> | null;
  /** Rows known to exist (store.exists), by table. */
  present: Map<unknown, Set<string>>;
  /** The log sequence of the event being projected (stamped as changedSeq), null outside the runner. */
  sequence: string | null;
  /** Whether a table has the changedSeq column, by table. */
  tracked: Map<unknown, boolean>;
  /** Rows created or changed since the last takeChanges(), by `table id`. */
  changes: Map<string, RowChange>;
}

export class ProjectionStore {
  private constructor(
    private readonly t: Transaction,
    /** The domain whose projector (or exported operation) is acting; null = unchecked. */
    private readonly domain: string | null,
  ) {}

  /** The store of an ingest or replay transaction: reads remembered, keyed writes held until flush(). */
  static withUnitOfWork(tx: EntityManager, rules: StoreRules): ProjectionStore {
    return new ProjectionStore(ProjectionStore.transaction(tx, rules, new UnitOfWork(tx, rules.keyed)), null);
  }

  /** A store that reads and writes the database at once (outside ingest and replay). */
  static writeThrough(tx: EntityManager, rules: StoreRules): ProjectionStore {
    return new ProjectionStore(ProjectionStore.transaction(tx, rules, null), null);
  }

  private static transaction(tx: EntityManager, rules: StoreRules, unit: UnitOfWork | null): Transaction {
    return {
      tx,
      rules,
      unit,
      seen: rules.strict ? new Map() : null,
      present: new Map(),
      sequence: null,
      tracked: new Map(),
      changes: new Map(),
    };
  }

  /** From now on, rows written are stamped as changed by the event with this log sequence. */
  projecting(sequence: string): void {
    this.t.sequence = sequence;
  }

  /**
   * The same store acting for `domain`: the runner gives each projector the store of its
   * module, and a domain's exported operation (recordCourse, …) acts for its own domain,
   * so that every table is written by the domain that owns it.
   */
  actingFor(domain: string): ProjectionStore {
    return domain === this.domain ? this : new ProjectionStore(this.t, domain);
  }

  /** The row of `entity` with primary key `key` (locked on MySQL), or null. */
  async read<E extends ObjectLiteral>(entity: EntityTarget<E>, key: Partial<E>): Promise<E | null> {
    this.checkWholeKey(entity, key);
    const { tx, unit } = this.t;
    const known = unit?.get(entity, key);
    if (known !== undefined) return known;
    const lock = tx.connection.options.type === 'mysql' ? { lock: { mode: 'pessimistic_write' as const } } : {};
    const row = await tx.findOne(entity, { where: key as never, ...lock });
    unit?.set(entity, key, row);
    this.see(entity, key);
    return row;
  }

  /**
   * Whether a row with primary key `key` exists, read without a lock (for rows that are
   * never changed once there, whose lock would serialise every transaction that names
   * them); a row known to exist is not read again in this transaction.
   */
  async exists<E extends ObjectLiteral>(entity: EntityTarget<E>, key: Partial<E>): Promise<boolean> {
    this.checkWholeKey(entity, key);
    const k = keyOf(key);
    if (this.t.present.get(entity)?.has(k)) return true;
    const known = this.t.unit?.get(entity, key);
    const found = known !== undefined ? known !== null : await this.t.tx.existsBy(entity, key as never);
    this.see(entity, key);
    if (found) this.remember(this.t.present, entity, k);
    return found;
  }

  /**
   * Writes a row read through this store (`current`, null = it did not exist): inserts
   * `key + changes` when there is no row yet, else updates only what changed.
   */
  async write<E extends ObjectLiteral>(
    entity: EntityTarget<E>,
    current: E | null,
    key: Partial<E>,
    changes: Partial<E>,
  ): Promise<void> {
    this.checkWrite(entity, current, key);
    const { tx, unit } = this.t;
    const keyed = unit?.isKeyed(entity) ?? false;
    if (!current) {
      this.changed(entity, key, true);
      const values = { ...key, ...changes, ...this.changeStamp(entity) };
      if (!unit) {
        await insertRows(tx, entity, [values]);
        return;
      }
      // The row as a read would return it: columns not written are NULL (no column has a default).
      const row: Record<string, unknown> = {};
      for (const column of tx.connection.getMetadata(entity).columns) {
        row[column.propertyName] = (values as Record<string, unknown>)[column.propertyName] ?? null;
      }
      if (keyed) unit.holdInsert(entity, key, row as E);
      else await insertRows(tx, entity, [values]);
      unit.set(entity, key, row as E);
      this.see(entity, key);
      return;
    }
    const changed: Partial<E> = {};
    for (const [field, value] of Object.entries(changes)) {
      if (value !== undefined && !sameValue(current[field], value)) (changed as Record<string, unknown>)[field] = value;
    }
    if (Object.keys(changed).length === 0) return;
    Object.assign(changed, this.changeStamp(entity));
    this.changed(entity, key, false);
    if (keyed) unit!.holdUpdate(entity, key, changed);
    else await tx.update(entity, key as never, changed as never);
    // A copy from a query (not read by key, so not locked when read) is not kept: the next
    // read by key reads the row again, locked.
    if (unit?.get(entity, key) !== undefined) unit.set(entity, key, { ...current, ...changed });
  }

  /**
   * Inserts a row unless one with the same unique key (`conflictColumns`, database names)
   * exists; an existing row is left as it is. Portable (ON DUPLICATE KEY UPDATE on MySQL,
   * ON CONFLICT … DO UPDATE on SQLite, rewriting a key column to its own value) and, unlike
   * INSERT IGNORE, it silences nothing but the duplicate key. The same row twice in one
   * transaction is inserted once.
   */
  async insertUnlessPresent<E extends ObjectLiteral>(
    entity: EntityTarget<E>,
    values: Partial<E>,
    conflictColumns: string[],
  ): Promise<void> {
    this.checkOwner(entity);
    const { tx, unit } = this.t;
    values = { ...values, ...this.changeStamp(entity) };
    if (unit?.isKeyed(entity)) {
      unit.holdInsertUnlessPresent(entity, values, conflictColumns);
      return;
    }
    await insertRows(tx, entity, [values], { key: conflictColumns, update: [conflictColumns[0]] });
  }

  /** Deletes a row by key, and remembers it absent. */
  async delete<E extends ObjectLiteral>(entity: EntityTarget<E>, key: Partial<E>): Promise<void> {
    this.checkOwner(entity);
    this.checkSeen(entity, key, 'deleted');
    if (this.t.unit?.isKeyed(entity)) throw new ProjectionRuleError(`a delete from keyed ${this.table(entity)}`);
    await this.t.tx.delete(entity, key as never);
    this.t.unit?.set(entity, key, null);
  }

  /**
   * Rows found by other criteria than the key (unlocked, as committed). Refused for a
   * keyed table: its writes are held until commit, so a query would not see them.
   */
  async find<E extends ObjectLiteral>(entity: EntityTarget<E>, options: FindManyOptions<E>): Promise<E[]> {
    this.checkQueryable(entity);
    const rows = await this.t.tx.find(entity, options);
    for (const row of rows) this.seeRow(entity, row);
    return rows;
  }

  /** The first row found by other criteria than the key, or null; refused for a keyed table. */
  async findOne<E extends ObjectLiteral>(entity: EntityTarget<E>, options: FindOneOptions<E>): Promise<E | null> {
    this.checkQueryable(entity);
    const row = await this.t.tx.findOne(entity, options);
    if (row) this.seeRow(entity, row);
    return row;
  }

  /** A query by other criteria than the key (unlocked, as committed); refused for a keyed table. */
  query<E extends ObjectLiteral>(entity: EntityTarget<E>, alias: string): SelectQueryBuilder<E> {
    this.checkQueryable(entity);
    return this.t.tx.createQueryBuilder(entity, alias);
  }

  /**
   * Reads (and on MySQL locks) in one statement per table every row `refs` name, tables
   * and ids in a fixed order, so that two transactions lock shared rows in the same order
   * and each row is read once. Nothing to do without a unit of work.
   */
  async preload(refs: Iterable<RowRef>): Promise<void> {
    const { unit } = this.t;
    if (!unit) return;
    const wanted = new Map<EntityTarget<ObjectLiteral>, string[]>();
    for (const [entity, id] of refs) {
      const ids = wanted.get(entity) ?? [];
      wanted.set(entity, ids);
      ids.push(id);
    }
    const tables = [...wanted].map(([entity, ids]) => ({ entity, ids, table: this.table(entity) }));
    tables.sort((a, b) => (a.table < b.table ? -1 : a.table > b.table ? 1 : 0));
    for (const { entity, ids } of tables) {
      await unit.preload(entity, 'id', ids);
      for (const id of ids) this.see(entity, { id });
    }
  }

  /**
   * The rows created or changed through `write` since the last call (a row created then
   * changed counts as created), and forgets them: the runner takes them after each event.
   * Rows with a single `id` key only (what live updates name).
   */
  takeChanges(): RowChange[] {
    const changes = [...this.t.changes.values()];
    this.t.changes.clear();
    return changes;
  }

  /** Sends the held writes (end of the transaction); in strict mode, checks the database then has what the store holds. */
  async flush(): Promise<void> {
    const { unit } = this.t;
    if (!unit) return;
    const held = this.t.rules.strict ? unit.heldRows() : [];
    await unit.flush();
    for (const { entity, keys } of held) await this.checkFlushed(entity, keys);
  }

  /** `{ changedSeq }` for a change-tracked table while an event is projected, else nothing. */
  private changeStamp(entity: EntityTarget<ObjectLiteral>): ObjectLiteral {
    const { sequence, tracked } = this.t;
    if (sequence === null) return {};
    let has = tracked.get(entity);
    if (has === undefined) {
      has = this.t.tx.connection.getMetadata(entity).findColumnWithPropertyName(CHANGED_SEQ) !== undefined;
      tracked.set(entity, has);
    }
    return has ? { [CHANGED_SEQ]: sequence } : {};
  }

  // ---- rules -------------------------------------------------------------------------

  private table(entity: EntityTarget<ObjectLiteral>): string {
    return this.t.tx.connection.getMetadata(entity).tableName;
  }

  private checkQueryable(entity: EntityTarget<ObjectLiteral>): void {
    if (this.t.rules.keyed.has(entity)) {
      throw new ProjectionRuleError(
        `${this.table(entity)} is keyed (its writes are held until commit): read it by key with read(), not by a query`,
      );
    }
  }

  private checkWholeKey(entity: EntityTarget<ObjectLiteral>, key: ObjectLiteral): void {
    if (!this.t.rules.strict) return;
    const primary = this.t.tx.connection
      .getMetadata(entity)
      .primaryColumns.map((c) => c.propertyName)
      .sort();
    const given = Object.keys(key).sort();
    if (primary.join() !== given.join() || given.some((k) => key[k] == null)) {
      throw new ProjectionRuleError(
        `${this.table(entity)} read by (${given.join(', ')}), not by its primary key (${primary.join(', ')})`,
      );
    }
  }

  private checkOwner(entity: EntityTarget<ObjectLiteral>): void {
    if (!this.t.rules.strict || this.domain === null) return;
    const owner = this.t.rules.owners.get(entity);
    if (owner !== this.domain) {
      throw new ProjectionRuleError(
        `${this.domain} wrote ${this.table(entity)}, which ${owner ? `domain ${owner} owns` : 'no domain owns'}: ` +
          `call the operation its domain exports`,
      );
    }
  }

  private checkSeen(entity: EntityTarget<ObjectLiteral>, key: ObjectLiteral, what: string): void {
    if (this.t.seen && !this.t.seen.get(entity)?.has(keyOf(key))) {
      throw new ProjectionRuleError(
        `a row of ${this.table(entity)} ${what} without being read first through the store`,
      );
    }
  }

  private checkWrite<E extends ObjectLiteral>(entity: EntityTarget<E>, current: E | null, key: Partial<E>): void {
    if (!this.t.rules.strict) return;
    this.checkOwner(entity);
    this.checkSeen(entity, key, 'written');
    const known = this.t.unit?.get(entity, key);
    if (known === undefined) return;
    if ((known === null) !== (current === null) || (known && current && !sameRow(known, current))) {
      throw new ProjectionRuleError(`a row of ${this.table(entity)} written from a copy that is not the row read`);
    }
  }

  private async checkFlushed(entity: EntityTarget<ObjectLiteral>, keys: ObjectLiteral[]): Promise<void> {
    for (const key of keys) {
      const held = this.t.unit!.get(entity, key);
      const stored = await this.t.tx.findOne(entity, { where: key as never });
      if ((held === null) !== (stored === null) || (held && stored && !sameRow(held, stored))) {
        throw new ProjectionRuleError(
          `after flush, ${this.table(entity)} ${JSON.stringify(key)} is ${JSON.stringify(stored)}, ` +
            `the store held ${JSON.stringify(held)}`,
        );
      }
    }
  }

  private see(entity: EntityTarget<ObjectLiteral>, key: ObjectLiteral): void {
    if (this.t.seen) this.remember(this.t.seen, entity, keyOf(key));
  }

  private seeRow(entity: EntityTarget<ObjectLiteral>, row: ObjectLiteral): void {
    if (!this.t.seen) return;
    const primary = this.t.tx.connection.getMetadata(entity).primaryColumns.map((c) => c.propertyName);
    this.see(entity, Object.fromEntries(primary.map((p) => [p, row[p]])));
  }

  private changed(entity: EntityTarget<ObjectLiteral>, key: ObjectLiteral, created: boolean): void {
    const id = key.id;
    if (typeof id !== 'string' || Object.keys(key).length !== 1) return;
    const table = this.table(entity);
    const known = this.t.changes.get(`${table} ${id}`);
    this.t.changes.set(`${table} ${id}`, { table, id, created: created || (known?.created ?? false) });
  }

  private remember(sets: Map<unknown, Set<string>>, entity: unknown, key: string): void {
    let set = sets.get(entity);
    if (!set) sets.set(entity, (set = new Set()));
    set.add(key);
  }
}

function sameValue(a: unknown, b: unknown): boolean {
  if (a instanceof Date && b instanceof Date) return a.getTime() === b.getTime();
  return a === b;
}

/** Two copies of a row agree on every column (compared as stored: instants, numbers and text alike). */
function sameRow(a: ObjectLiteral, b: ObjectLiteral): boolean {
  const plain = (v: unknown) => (v == null ? null : v instanceof Date ? v.toISOString() : String(v));
  return [...new Set([...Object.keys(a), ...Object.keys(b)])].every((k) => plain(a[k]) === plain(b[k]));
}
