// The per-request GraphQL context: the DataSource, who is asking, and a fresh set of
// DataLoaders. Loaders cache what they load, so they must never outlive a request —
// one request's answers must not leak into another's.
import DataLoader from 'dataloader';
import type { DataSource, ObjectLiteral } from 'typeorm';
import { EntityTarget } from 'typeorm';
import { rowMapper } from '../db/row-mapper';
import { idParams } from '../db/columns';
import type { ReadSource } from '../db/read-sources';
import type { LiveSession } from './live/feed';

/** Who is asking. Until tokens are checked (a later issue) every caller is an admin. */
export type Role = 'admin' | 'reader';

/**
 * The loaders of one request. A domain's `*.loaders.ts` exports a factory; `of(factory)`
 * builds that domain's loaders on first use in this request and returns the same set
 * afterwards, so the context needs no central list of domains.
 */
export class LoaderSet {
  private readonly built = new Map<LoaderFactory<unknown>, unknown>();

  constructor(readonly dataSource: DataSource) {}

  of<T>(factory: LoaderFactory<T>): T {
    if (!this.built.has(factory)) this.built.set(factory, factory(this.dataSource, this));
    return this.built.get(factory) as T;
  }
}

export type LoaderFactory<T> = (dataSource: DataSource, loaders: LoaderSet) => T;

export function createLoaders(dataSource: DataSource): LoaderSet {
  return new LoaderSet(dataSource);
}

export interface GraphQLContext {
  /** The request's read source: every statement of the answer goes here (one replica, or the primary). */
  dataSource: DataSource;
  role: Role;
  /** Replaced per update in a subscription (each update is read with fresh loaders, see ./live). */
  loaders: LoaderSet;
  /** Which source `dataSource` is, when the app has read replicas. */
  readSource?: ReadSource;
  /**
   * What the HTTP layer learns after execution. A holder, not a field: Apollo runs the
   * operation on a shallow copy of the context, so only a shared object carries news back.
   */
  outcome: RequestOutcome;
  /** Live updates: set on the context of an operation over WebSocket only. */
  live?: LiveSession;
}

export interface RequestOutcome {
  /** Set when a statement found the database unreachable (the answer is then a 503, or computed again on the primary). */
  databaseUnavailable?: unknown;
}

export function createContext(source: DataSource | ReadSource, role: Role = 'admin'): GraphQLContext {
  const readSource = 'replica' in source ? source : undefined;
  const dataSource = readSource ? readSource.dataSource : (source as DataSource);
  return { dataSource, role, loaders: createLoaders(dataSource), readSource, outcome: {} };
}

/** Rows by primary key, one `WHERE id IN (...)` per batch; unknown ids give null. */
export function byIdLoader<E extends ObjectLiteral & { id: string }>(
  dataSource: DataSource,
  entity: EntityTarget<E>,
): DataLoader<string, E | null> {
  const toEntity = rowMapper(dataSource, entity, 'r');
  return new DataLoader<string, E | null>(async (ids) => {
    const raw = await dataSource
      .createQueryBuilder(entity, 'r')
      .where('r.id IN (:...ids)', { ids: idParams(ids) })
      .getRawMany();
    const byId = new Map(raw.map((r) => toEntity(r)).map((row) => [row.id, row]));
    return ids.map((id) => byId.get(id) ?? null);
  });
}

/** Every row of `entity` whose `parentProperty` is one of the batched parent ids, in `orderBy` order. */
export function childrenLoader<E extends ObjectLiteral>(
  dataSource: DataSource,
  entity: EntityTarget<E>,
  parentProperty: keyof E & string,
  orderBy: Array<keyof E & string>,
): DataLoader<string, E[]> {
  const toEntity = rowMapper(dataSource, entity, 'c');
  return new DataLoader<string, E[]>(async (parentIds) => {
    const qb = dataSource
      .createQueryBuilder(entity, 'c')
      .where(`c.${parentProperty} IN (:...parentIds)`, { parentIds: idParams(parentIds) });
    for (const property of orderBy) qb.addOrderBy(`c.${property}`, 'ASC');
    const grouped = new Map<string, E[]>();
    for (const raw of await qb.getRawMany()) {
      const row = toEntity(raw);
      const parent = String(row[parentProperty]);
      const siblings = grouped.get(parent);
      if (siblings) siblings.push(row);
      else grouped.set(parent, [row]);
    }
    return parentIds.map((id) => grouped.get(id) ?? []);
  });
}

/** Puts rows already fetched into a by-id loader so a later lookup costs no statement. */
export function prime<E extends { id: string }>(loader: DataLoader<string, E | null>, rows: readonly E[]): void {
  for (const row of rows) loader.prime(row.id, row);
}
