// The one pagination helper every connection uses: Relay connections (edges, nodes,
// pageInfo, totalCount) over keyset (seek) pagination. A page is "rows after the cursor
// in (sort column, id) order, LIMIT first + 1" — never OFFSET, so page 500 costs what
// page 1 costs and rows inserted meanwhile never shift a page. Cursors are opaque and
// name the list and order that made them, so a cursor used elsewhere is refused.
//
// Sort order, identical on MySQL and SQLite because both do it natively: ties break on
// id in the same direction, and NULL counts as the lowest value — first in ascending
// order, last in descending order. Keeping the native NULL order lets the existing
// (column, id) indexes serve the ORDER BY.
//
// Nested connections (a course's submissions, a submission's comments) are batched:
// one statement fetches the page of every parent at once with ROW_NUMBER() OVER
// (PARTITION BY parent ...), which MariaDB 10.2+, MySQL 8 and SQLite 3.25+ all have.
import DataLoader from 'dataloader';
import { GraphQLResolveInfo, Kind, SelectionSetNode } from 'graphql';
import { ArgsType, ClassType, Field, Int, ObjectType, registerEnumType } from 'type-graphql';
import { Brackets, DataSource, EntityMetadata, EntityTarget, ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import { rowMapper } from '../db/row-mapper';
import { BadInputError } from '../errors';
import { idProblem } from '../canvas/canvas-id';
import { idParams } from '../db/columns';

export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;

/** A column a list can be sorted on before its id. */
export interface SortField {
  property: string;
  kind: 'time' | 'number';
}

export interface ListOrder {
  /** Names the list and order; cursors carry it so they only work where they were made. */
  scope: string;
  /** null: by id alone. */
  field: SortField | null;
  direction: 'ASC' | 'DESC';
}

type SortValue = string | number | null;

interface Position {
  value: SortValue;
  id: string;
}

/** Validated `first` / `after` for one list and order. */
export interface PageRequest {
  first: number;
  after: string | null;
  position: Position | null;
  order: ListOrder;
}

@ArgsType()
export class PageArgs {
  @Field(() => Int, {
    nullable: true,
    description: `How many items to return: ${DEFAULT_PAGE_SIZE} when omitted, at most ${MAX_PAGE_SIZE}.`,
  })
  first?: number | null;

  @Field(() => String, {
    nullable: true,
    description:
      'Return the items after this cursor: the endCursor (or an edge cursor) of a previous page of the same list.',
  })
  after?: string | null;
}

@ObjectType('PageInfo', {
  description: 'Where a page sits in its list, for fetching the next one.',
  simpleResolvers: true,
})
export class PageInfo {
  @Field(() => Boolean, {
    description: 'True when more items follow this page: pass endCursor as `after` to get them.',
  })
  hasNextPage: boolean;

  @Field(() => Boolean, { description: 'True when this page was asked for with `after`, so items precede it.' })
  hasPreviousPage: boolean;

  @Field(() => String, {
    nullable: true,
    description: 'Cursor of the first item of the page; null when the page is empty.',
  })
  startCursor: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'Cursor of the last item of the page; null when the page is empty.',
  })
  endCursor: string | null;
}

/**
 * What every connection field resolves to; totalCount is counted only when asked for.
 * Edges (with their cursors) and pageInfo are built on first use too: most queries ask
 * for nodes alone, and a nested page is built for every parent of a response.
 */
export class Connection<T> {
  readonly nodes: T[];
  private builtEdges?: Array<{ cursor: string; node: T }>;
  private builtPageInfo?: PageInfo;
  private counted?: Promise<number>;

  /** `rows` is the query's answer for LIMIT first + 1: one extra row means a next page. */
  constructor(
    private readonly rows: T[],
    private readonly request: PageRequest,
    private readonly count: () => Promise<number>,
  ) {
    this.nodes = rows.length > request.first ? rows.slice(0, request.first) : rows;
  }

  get edges(): Array<{ cursor: string; node: T }> {
    return (this.builtEdges ??= this.nodes.map((node) => ({
      cursor: cursorOf(node as ObjectLiteral, this.request.order),
      node,
    })));
  }

  get pageInfo(): PageInfo {
    if (!this.builtPageInfo) {
      const last = this.nodes.length - 1;
      this.builtPageInfo = {
        hasNextPage: this.rows.length > this.request.first,
        hasPreviousPage: this.request.after !== null,
        startCursor: last < 0 ? null : cursorOf(this.nodes[0] as ObjectLiteral, this.request.order),
        endCursor: last < 0 ? null : cursorOf(this.nodes[last] as ObjectLiteral, this.request.order),
      };
    }
    return this.builtPageInfo;
  }

  get totalCount(): Promise<number> {
    return (this.counted ??= this.count());
  }
}

/** The GraphQL Connection and Edge types for one node type. */
export function connectionType<T extends object>(
  node: ClassType<T>,
  name: string,
  items: string,
): ClassType<Connection<T>> {
  @ObjectType(`${name}Edge`, { description: `One of the ${items} in a page, with its cursor.`, simpleResolvers: true })
  class Edge {
    @Field(() => String, { description: 'Opaque position of this item: pass it as `after` to continue after it.' })
    cursor: string;

    @Field(() => node, { description: `The item itself.` })
    node: T;
  }

  @ObjectType(`${name}Connection`, { description: `A page of ${items}, in a stable order.`, simpleResolvers: true })
  class ConnectionType {
    @Field(() => [Edge], { description: 'The items of this page with their cursors.' })
    edges: Edge[];

    @Field(() => [node], { description: 'The items of this page, when cursors per item are not needed.' })
    nodes: T[];

    @Field(() => PageInfo, { description: 'Whether more items follow, and the cursors to continue from.' })
    pageInfo: PageInfo;

    @Field(() => Int, { description: `How many ${items} the whole list holds (with its filters), across all pages.` })
    totalCount: number;
  }
  return ConnectionType as unknown as ClassType<Connection<T>>;
}

/** Checks `first` and `after` for a list in `order`; throws BadInputError naming the argument. */
export function pageRequest(args: PageArgs, order: ListOrder): PageRequest {
  const first = args.first ?? DEFAULT_PAGE_SIZE;
  if (first < 0 || first > MAX_PAGE_SIZE) {
    throw new BadInputError(`must be between 0 and ${MAX_PAGE_SIZE}, got ${first}`, 'first');
  }
  const after = args.after ?? null;
  return { first, after, position: after === null ? null : decodeCursor(after, order), order };
}

const CURSOR_VERSION = 1;

function sortValueOf(row: ObjectLiteral, field: SortField | null): SortValue {
  if (!field) return null;
  const value: unknown = row[field.property];
  if (value === null || value === undefined) return null;
  return value instanceof Date ? value.toISOString() : (value as number);
}

function cursorOf(row: ObjectLiteral, order: ListOrder): string {
  const payload = [CURSOR_VERSION, order.scope, sortValueOf(row, order.field), String(row.id)];
  return Buffer.from(JSON.stringify(payload), 'utf8').toString('base64url');
}

function decodeCursor(cursor: string, order: ListOrder): Position {
  const invalid = () =>
    new BadInputError('is not a cursor from this API: pass a cursor a previous page returned', 'after');
  let payload: unknown;
  try {
    payload = /^[A-Za-z0-9_-]{1,2000}$/.test(cursor)
      ? JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'))
      : null;
  } catch {
    throw invalid();
  }
  if (
    !Array.isArray(payload) ||
    payload.length !== 4 ||
    payload[0] !== CURSOR_VERSION ||
    typeof payload[1] !== 'string'
  ) {
    throw invalid();
  }
  const [, scope, value, id] = payload as [number, string, unknown, unknown];
  if (scope !== order.scope) {
    throw new BadInputError(
      `is a cursor of another list or order (${scope}), not of ${order.scope}: cursors only continue the list that made them`,
      'after',
    );
  }
  if (typeof id !== 'string' || idProblem(id)) throw invalid();
  if (value === null) return { value, id };
  const kind = order.field?.kind;
  if (kind === 'number' && typeof value === 'number' && Number.isFinite(value)) return { value, id };
  if (kind === 'time' && typeof value === 'string' && !Number.isNaN(Date.parse(value))) return { value, id };
  throw invalid();
}

/** Restricts `qb` to the rows after `position` in `order` (see the NULL rule at the top). */
function applyAfter<E extends ObjectLiteral>(qb: SelectQueryBuilder<E>, order: ListOrder, position: Position): void {
  const id = `${qb.alias}.id`;
  const asc = order.direction === 'ASC';
  const op = asc ? '>' : '<';
  qb.setParameter('afterId', BigInt(position.id));
  if (!order.field) {
    qb.andWhere(`${id} ${op} :afterId`);
    return;
  }
  const column = `${qb.alias}.${order.field.property}`;
  if (position.value === null) {
    qb.andWhere(
      new Brackets((w) => {
        if (asc) w.where(`${column} IS NOT NULL`).orWhere(`(${column} IS NULL AND ${id} > :afterId)`);
        else w.where(`${column} IS NULL AND ${id} < :afterId`);
      }),
    );
    return;
  }
  qb.setParameter('afterValue', order.field.kind === 'time' ? new Date(position.value) : position.value);
  qb.andWhere(
    new Brackets((w) => {
      w.where(`${column} ${op} :afterValue`).orWhere(`(${column} = :afterValue AND ${id} ${op} :afterId)`);
      if (!asc) w.orWhere(`${column} IS NULL`);
    }),
  );
}

/** One page of a top-level list: the rows of `qb` (filters applied) after the cursor. */
export async function findPage<E extends ObjectLiteral>(
  qb: SelectQueryBuilder<E>,
  request: PageRequest,
): Promise<Connection<E>> {
  const all = qb.clone();
  const page = qb.clone();
  if (request.position) applyAfter(page, request.order, request.position);
  if (request.order.field) page.orderBy(`${page.alias}.${request.order.field.property}`, request.order.direction);
  page.addOrderBy(`${page.alias}.id`, request.order.direction).limit(request.first + 1);
  const rows = (await page.getRawMany()).map(rowMapper(qb.connection, qb.expressionMap.mainAlias!.target, qb.alias));
  return new Connection(rows as E[], request, () => all.getCount());
}

/** Narrows a per-parent query by the list's filter. */
export type ApplyFilter<E extends ObjectLiteral, F> = (qb: SelectQueryBuilder<E>, filter: F) => void;

export interface PerParentList<E extends ObjectLiteral, F> {
  dataSource: DataSource;
  entity: EntityTarget<E>;
  /** The property holding the parent's id (e.g. courseId). */
  parentProperty: keyof E & string;
  applyFilter?: ApplyFilter<E, F>;
}

export interface ParentPageKey<F> {
  parentId: string;
  request: PageRequest;
  filter: F;
}

export interface ParentCountKey<F> {
  parentId: string;
  filter: F;
}

/**
 * What a batched key asks for apart from its parent: keys of one shape share a
 * statement. Built from the parts that decide the statement (the cursor stands for its
 * decoded position) rather than by serialising the whole key: a response asks for a page
 * per parent, thousands of keys, and JSON.stringify with a replacer over every key (three
 * times per key) took over a tenth of the course dashboard's CPU (bench/NOTES.md).
 */
function shapeOf(key: ParentCountKey<unknown> | ParentPageKey<unknown>): string {
  const filter = key.filter == null ? '' : JSON.stringify(key.filter, bigintAsString);
  if (!('request' in key)) return filter;
  const { first, after, order } = key.request;
  return `${order.scope}|${order.field?.property ?? ''}|${order.direction}|${first}|${after ?? ''}|${filter}`;
}

const bigintAsString = (_key: string, value: unknown) => (typeof value === 'bigint' ? value.toString() : value);
const slotOf = (shape: string, parentId: string) => `${shape}#${parentId}`;
const cacheKeyOf = (key: ParentCountKey<unknown> | ParentPageKey<unknown>) => slotOf(shapeOf(key), key.parentId);

function byShape<K extends { parentId: string }>(
  keys: readonly K[],
  shapes: readonly string[],
): Map<string, { sample: K; parentIds: string[] }> {
  const groups = new Map<string, { sample: K; parentIds: Set<string> }>();
  keys.forEach((key, i) => {
    const group = groups.get(shapes[i]);
    if (group) group.parentIds.add(key.parentId);
    else groups.set(shapes[i], { sample: key, parentIds: new Set([key.parentId]) });
  });
  // A Set: a page of 1,000 parents would otherwise cost a million comparisons.
  return new Map([...groups].map(([shape, { sample, parentIds }]) => [shape, { sample, parentIds: [...parentIds] }]));
}

function parentQuery<E extends ObjectLiteral, F>(
  list: PerParentList<E, F>,
  parentIds: string[],
  filter: F,
): SelectQueryBuilder<E> {
  const qb = list.dataSource
    .createQueryBuilder(list.entity, 'n')
    .where(`n.${list.parentProperty} IN (:...parentIds)`, { parentIds: idParams(parentIds) });
  list.applyFilter?.(qb, filter);
  return qb;
}

/** How many rows each parent has (with the filter): one GROUP BY statement per batch. */
export function perParentCountLoader<E extends ObjectLiteral, F>(
  list: PerParentList<E, F>,
): DataLoader<ParentCountKey<F>, number, string> {
  return new DataLoader<ParentCountKey<F>, number, string>(
    async (keys) => {
      const counts = new Map<string, number>();
      const column = columnName(list.dataSource.getMetadata(list.entity), list.parentProperty);
      const shapes = keys.map(shapeOf);
      for (const [shape, { sample, parentIds }] of byShape(keys, shapes)) {
        const rows: Array<{ parent: unknown; total: unknown }> = await parentQuery(list, parentIds, sample.filter)
          .select(`n.${column}`, 'parent')
          .addSelect('COUNT(*)', 'total')
          .groupBy(`n.${column}`)
          .getRawMany();
        for (const row of rows) counts.set(slotOf(shape, String(row.parent)), Number(row.total));
      }
      return keys.map((key, i) => counts.get(slotOf(shapes[i], key.parentId)) ?? 0);
    },
    { cacheKeyFn: cacheKeyOf },
  );
}

/** The pages of a per-parent list, and the counts behind their totalCount. */
export interface PerParentPages<E extends ObjectLiteral, F> {
  /**
   * The page of `key.parentId`. With the field's `info`, when the query selects
   * totalCount the count is started now, in the same batch as the page: the two
   * statements then run side by side instead of the count waiting for the page, one
   * round trip less for every nested list level.
   */
  load(key: ParentPageKey<F>, info?: GraphQLResolveInfo): Promise<Connection<E>>;
}

/**
 * A page per parent, every parent of a batch in one statement. Raw SQL around the query
 * builder's own query because TypeORM cannot select from a derived table into entities:
 * the window function numbers each parent's rows in list order, the outer query keeps
 * the first `first + 1` of each, and the rows are mapped to entities by ../db/row-mapper.
 */
export function perParentPageLoader<E extends ObjectLiteral, F>(
  list: PerParentList<E, F>,
  counts: DataLoader<ParentCountKey<F>, number, string>,
  onRows?: (rows: E[]) => void,
): PerParentPages<E, F> {
  const metadata = list.dataSource.getMetadata(list.entity);
  const driver = list.dataSource.driver;
  const sql = (property: string) => `${driver.escape('n')}.${driver.escape(columnName(metadata, property))}`;
  const toEntity = rowMapper(list.dataSource, list.entity, 'n');
  const pages = new DataLoader<ParentPageKey<F>, Connection<E>, string>(
    async (keys) => {
      const rowsByParent = new Map<string, E[]>();
      const shapes = keys.map(shapeOf);
      for (const [shape, { sample, parentIds }] of byShape(keys, shapes)) {
        const { request } = sample;
        const qb = parentQuery(list, parentIds, sample.filter);
        if (request.position) applyAfter(qb, request.order, request.position);
        const direction = request.order.direction;
        const orderBy = [
          ...(request.order.field ? [`${sql(request.order.field.property)} ${direction}`] : []),
          `${sql('id')} ${direction}`,
        ];
        qb.addSelect(
          `ROW_NUMBER() OVER (PARTITION BY ${sql(list.parentProperty)} ORDER BY ${orderBy.join(', ')})`,
          'row_num',
        );
        const [inner, parameters] = qb.getQueryAndParameters();
        const raw: ObjectLiteral[] = await list.dataSource.query(
          `SELECT * FROM (${inner}) ranked WHERE ranked.row_num <= ${request.first + 1} ORDER BY ranked.row_num`,
          parameters,
        );
        const rows = raw.map(toEntity);
        onRows?.(rows);
        for (const row of rows) {
          const slot = slotOf(shape, String(row[list.parentProperty]));
          const siblings = rowsByParent.get(slot);
          if (siblings) siblings.push(row);
          else rowsByParent.set(slot, [row]);
        }
      }
      return keys.map(
        (key, i) =>
          new Connection(rowsByParent.get(slotOf(shapes[i], key.parentId)) ?? [], key.request, () =>
            counts.load({ parentId: key.parentId, filter: key.filter }),
          ),
      );
    },
    { cacheKeyFn: cacheKeyOf },
  );
  return {
    load(key, info) {
      if (info && selectsField(info, 'totalCount')) {
        // Its rejection is answered through totalCount, or not at all if the page failed.
        counts.load({ parentId: key.parentId, filter: key.filter }).catch(() => undefined);
      }
      return pages.load(key);
    },
  };
}

/** Whether the field being resolved selects `field` (directly or through fragments). */
function selectsField(info: GraphQLResolveInfo, field: string): boolean {
  const seen = new Set<string>();
  const inSet = (set: SelectionSetNode | undefined): boolean =>
    set !== undefined &&
    set.selections.some((selection) => {
      if (selection.kind === Kind.FIELD) return selection.name.value === field;
      if (selection.kind === Kind.INLINE_FRAGMENT) return inSet(selection.selectionSet);
      if (seen.has(selection.name.value)) return false;
      seen.add(selection.name.value);
      return inSet(info.fragments[selection.name.value]?.selectionSet);
    });
  return info.fieldNodes.some((node) => inSet(node.selectionSet));
}

function columnName(metadata: EntityMetadata, property: string): string {
  const column = metadata.findColumnWithPropertyName(property);
  if (!column) throw new Error(`${metadata.name} has no column for ${property}`);
  return column.databaseName;
}

export enum OrderDirection {
  ASC = 'ASC',
  DESC = 'DESC',
}

registerEnumType(OrderDirection, {
  name: 'OrderDirection',
  description:
    'Which way a list runs. Items without a value for the sort field count as lowest: first when ascending, last when descending.',
  valuesConfig: {
    ASC: { description: 'Smallest (or earliest) first.' },
    DESC: { description: 'Largest (or latest) first.' },
  },
});
