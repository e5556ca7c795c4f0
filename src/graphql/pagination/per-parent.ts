// Nested connections (a course's submissions, a submission's comments), batched: one
// statement fetches the page of every parent at once with ROW_NUMBER() OVER (PARTITION
// BY parent ...), which MariaDB 10.2+, MySQL 8 and SQLite 3.25+ all have, and one GROUP
// BY statement counts them when totalCount is asked for.
import DataLoader from 'dataloader';
import { GraphQLResolveInfo, Kind, SelectionSetNode } from 'graphql';
import { DataSource, EntityMetadata, EntityTarget, ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import { idParams } from '../../db/columns';
import { rowMapper } from '../../db/row-mapper';
import { Connection } from './connection';
import { applyAfter, comparable, orderTerms } from './keyset';
import type { PageRequest } from './page-request';

/** Narrows a per-parent query by the list's filter. */
export type ApplyFilter<E extends ObjectLiteral, F> = (qb: SelectQueryBuilder<E>, filter: F) => void;

/**
 * A parent that is not a column of the rows but a row joined to them (an assignment, for
 * the enrollments of its course): `join` joins its table to the query (alias `n` for the
 * rows), and `idColumn` names the parent's id there, as `alias.property` (`p.id`).
 */
export interface ParentJoin<E extends ObjectLiteral> {
  join(qb: SelectQueryBuilder<E>): void;
  idColumn: string;
}

export type PerParentList<E extends ObjectLiteral, F> = {
  dataSource: DataSource;
  entity: EntityTarget<E>;
  applyFilter?: ApplyFilter<E, F>;
} & (
  | {
      /** The property holding the parent's id (e.g. courseId). */
      parentProperty: keyof E & string;
      parentJoin?: never;
    }
  | { parentJoin: ParentJoin<E>; parentProperty?: never }
);

/** The parent id of each row, as the SQL of a query with main alias `n` (TypeORM notation). */
function parentColumn<E extends ObjectLiteral, F>(list: PerParentList<E, F>): string {
  return list.parentJoin ? list.parentJoin.idColumn : `n.${list.parentProperty}`;
}

/** Alias of the parent id selected beside each row of a page. */
const PARENT_ID = 'parent_id';

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
  const qb = list.dataSource.createQueryBuilder(list.entity, 'n');
  list.parentJoin?.join(qb);
  qb.where(`${parentColumn(list)} IN (:...parentIds)`, { parentIds: idParams(parentIds) });
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
      const column = parentColumn(list);
      const shapes = keys.map(shapeOf);
      for (const [shape, { sample, parentIds }] of byShape(keys, shapes)) {
        const rows: Array<{ parent: unknown; total: unknown }> = await parentQuery(list, parentIds, sample.filter)
          .select(column, 'parent')
          .addSelect('COUNT(*)', 'total')
          .groupBy(column)
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
 * the first `first + 1` of each, and the rows are mapped to entities by ../../db/row-mapper.
 */
export function perParentPageLoader<E extends ObjectLiteral, F>(
  list: PerParentList<E, F>,
  counts: DataLoader<ParentCountKey<F>, number, string>,
  onRows?: (rows: E[]) => void,
): PerParentPages<E, F> {
  const metadata = list.dataSource.getMetadata(list.entity);
  const driver = list.dataSource.driver;
  const databaseType = list.dataSource.options.type;
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
        const orderBy = orderTerms(request.order).map(
          (term) => `${comparable(sql(term.property), term.text, databaseType)} ${term.direction}`,
        );
        const partition = list.parentJoin ? list.parentJoin.idColumn : sql(list.parentProperty);
        if (list.parentJoin) qb.addSelect(list.parentJoin.idColumn, PARENT_ID);
        qb.addSelect(`ROW_NUMBER() OVER (PARTITION BY ${partition} ORDER BY ${orderBy.join(', ')})`, 'row_num');
        const [inner, parameters] = qb.getQueryAndParameters();
        const raw: ObjectLiteral[] = await list.dataSource.query(
          `SELECT * FROM (${inner}) ranked WHERE ranked.row_num <= ${request.first + 1} ORDER BY ranked.row_num`,
          parameters,
        );
        const rows = raw.map(toEntity);
        onRows?.(rows);
        for (const [i, row] of rows.entries()) {
          const parentId = list.parentJoin ? raw[i][PARENT_ID] : row[list.parentProperty];
          const slot = slotOf(shape, String(parentId));
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
