// Nested connections (a course's submissions, a submission's comments, a course's
// comments through their submissions), batched: one statement fetches the page of every
// parent at once with ROW_NUMBER() OVER (PARTITION BY parent ...), which MariaDB 10.2+,
// MySQL 8 and SQLite 3.25+ all have, and one GROUP BY statement counts them when
// totalCount is asked for.
import DataLoader from 'dataloader';
import { GraphQLResolveInfo, Kind, SelectionSetNode } from 'graphql';
import { DataSource, EntityMetadata, EntityTarget, ObjectLiteral, ObjectType, SelectQueryBuilder } from 'typeorm';
import { idParams } from '../../db/columns';
import { rowMapper } from '../../db/row-mapper';
import { Connection } from './connection';
import { applyAfter, orderTerms } from './keyset';
import type { PageRequest } from './page-request';

/** Narrows a per-parent query by the list's filter. */
export type ApplyFilter<E extends ObjectLiteral, F> = (qb: SelectQueryBuilder<E>, filter: F) => void;

/**
 * Where a row's parent id is: a property of the row itself (a submission's courseId), or
 * of a row joined to it as `p` (a comment's course is its submission's courseId).
 */
type ParentKey<E extends ObjectLiteral> =
  | { parentProperty: keyof E & string; through?: undefined }
  | {
      parentProperty: string;
      /** The joined row's entity and the join condition, e.g. `p.id = n.submissionId`. */
      through: { entity: ObjectType<ObjectLiteral>; on: string };
    };

export type PerParentList<E extends ObjectLiteral, F> = ParentKey<E> & {
  dataSource: DataSource;
  entity: EntityTarget<E>;
  applyFilter?: ApplyFilter<E, F>;
};

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
  if (list.through) qb.innerJoin(list.through.entity, 'p', list.through.on);
  qb.where(`${list.through ? 'p' : 'n'}.${list.parentProperty} IN (:...parentIds)`, {
    parentIds: idParams(parentIds),
  });
  list.applyFilter?.(qb, filter);
  return qb;
}

/** The parent id column as SQL (`n`.`course_id`, or the joined row's), quoted for the database. */
function parentSql(list: PerParentList<ObjectLiteral, unknown>): string {
  const driver = list.dataSource.driver;
  const [alias, entity] = list.through ? ['p', list.through.entity] : ['n', list.entity];
  return `${driver.escape(alias)}.${driver.escape(columnName(list.dataSource.getMetadata(entity), list.parentProperty))}`;
}

/** How many rows each parent has (with the filter): one GROUP BY statement per batch. */
export function perParentCountLoader<E extends ObjectLiteral, F>(
  list: PerParentList<E, F>,
): DataLoader<ParentCountKey<F>, number, string> {
  return new DataLoader<ParentCountKey<F>, number, string>(
    async (keys) => {
      const counts = new Map<string, number>();
      const parent = parentSql(list as PerParentList<ObjectLiteral, unknown>);
      const shapes = keys.map(shapeOf);
      for (const [shape, { sample, parentIds }] of byShape(keys, shapes)) {
        const rows: Array<{ parent: unknown; total: unknown }> = await parentQuery(list, parentIds, sample.filter)
          .select(parent, 'parent')
          .addSelect('COUNT(*)', 'total')
          .groupBy(parent)
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
  const sql = (property: string) => `${driver.escape('n')}.${driver.escape(columnName(metadata, property))}`;
  const parent = parentSql(list as PerParentList<ObjectLiteral, unknown>);
  const toEntity = rowMapper(list.dataSource, list.entity, 'n');
  const pages = new DataLoader<ParentPageKey<F>, Connection<E>, string>(
    async (keys) => {
      const rowsByParent = new Map<string, E[]>();
      const shapes = keys.map(shapeOf);
      for (const [shape, { sample, parentIds }] of byShape(keys, shapes)) {
        const { request } = sample;
        const qb = parentQuery(list, parentIds, sample.filter);
        if (request.position) applyAfter(qb, request.order, request.position);
        const orderBy = orderTerms(request.order).map((term) => `${sql(term.property)} ${term.direction}`);
        qb.addSelect(parent, 'parent_key');
        qb.addSelect(`ROW_NUMBER() OVER (PARTITION BY ${parent} ORDER BY ${orderBy.join(', ')})`, 'row_num');
        const [inner, parameters] = qb.getQueryAndParameters();
        const raw: ObjectLiteral[] = await list.dataSource.query(
          `SELECT * FROM (${inner}) ranked WHERE ranked.row_num <= ${request.first + 1} ORDER BY ranked.row_num`,
          parameters,
        );
        const rows = raw.map(toEntity);
        onRows?.(rows);
        for (const [i, row] of rows.entries()) {
          const slot = slotOf(shape, String(raw[i].parent_key));
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
