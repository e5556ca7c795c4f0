// What one ingest transaction already knows about its projection rows. A row read FOR
// UPDATE stays locked until commit, so its copy here is the database's state for the
// rest of the transaction, as long as every write of it goes through writeRow (which
// writes through to the database and updates the copy here). A row known absent is kept
// as null: should another instance insert it meanwhile, our insert fails with a
// duplicate key and inTransaction retries the whole transaction, as before.
//
// Only transactions that open a unit of work use it (ingest, replay); elsewhere the
// helpers in rows.ts read the database every time.
import { EntityManager, EntityTarget, In, ObjectLiteral } from 'typeorm';

const PRELOAD_CHUNK = 500;

export class UnitOfWork {
  private readonly rows = new Map<unknown, Map<string, ObjectLiteral | null>>();
  private readonly facts = new Set<string>();

  constructor(private readonly tx: EntityManager) {}

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

  /**
   * Reads (and on MySQL locks) the rows of `entity` with these single-column ids in one
   * statement per chunk, in id order, so concurrent transactions lock in the same order.
   * Ids already known are skipped; ids without a row are remembered as absent.
   */
  async preload<E extends ObjectLiteral>(entity: EntityTarget<E>, column: keyof E & string, ids: string[]) {
    const wanted = [...new Set(ids)].filter((id) => this.get(entity, { [column]: id } as Partial<E>) === undefined);
    wanted.sort(byNumericId);
    const lock = this.tx.connection.options.type === 'mysql' ? { lock: { mode: 'pessimistic_write' as const } } : {};
    for (let start = 0; start < wanted.length; start += PRELOAD_CHUNK) {
      const chunk = wanted.slice(start, start + PRELOAD_CHUNK);
      const found = await this.tx.find(entity, {
        where: { [column]: In(chunk) } as never,
        order: { [column]: 'ASC' } as never,
        ...lock,
      });
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
}

const units = new WeakMap<EntityManager, UnitOfWork>();

/** Starts a unit of work for the transaction `tx` (replacing any earlier one). */
export function openUnitOfWork(tx: EntityManager): UnitOfWork {
  const unit = new UnitOfWork(tx);
  units.set(tx, unit);
  return unit;
}

/** The unit of work of `tx`, when its transaction opened one. */
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
