// Entities from raw rows, for the read side (GraphQL loaders and pages). TypeORM's own
// hydration (getMany, find) looks up every column's metadata and runs the driver's
// type switch for every value of every row; a page of the course dashboard holds
// thousands of rows, and that was a tenth of its CPU. Here the work per column is decided
// once per entity: each column gets the one conversion it needs, and a row costs one
// constructor call and one assignment per column.
import { DataSource, EntityMetadata, EntityTarget, ObjectLiteral } from 'typeorm';
import type { ColumnMetadata } from 'typeorm/metadata/ColumnMetadata';
import { ApplyValueTransformers } from 'typeorm/util/ApplyValueTransformers';

/**
 * Column types the drivers (mysql2, better-sqlite3) hand over as they are: only the
 * column's transformer applies. Any other type (datetime, boolean, json, …) still goes
 * through the driver's prepareHydratedValue, so its conversion stays TypeORM's.
 */
const PASSED_THROUGH = new Set<unknown>(['bigint', 'integer', 'int', 'double', 'text', 'varchar']);

type Convert = (value: unknown) => unknown;

interface MappedColumn {
  property: string;
  /** Key of the column in a raw row selected with the alias: `<alias>_<column name>`. */
  rawKey: string;
  convert: Convert;
}

export type RowMapper<E> = (raw: ObjectLiteral) => E;

const mappers = new WeakMap<EntityMetadata, Map<string, RowMapper<unknown>>>();

/** Maps raw rows selected by a query builder on `entity` with `alias` to entities. */
export function rowMapper<E extends ObjectLiteral>(
  dataSource: DataSource,
  entity: EntityTarget<E>,
  alias: string,
): RowMapper<E> {
  const metadata = dataSource.getMetadata(entity);
  let byAlias = mappers.get(metadata);
  if (!byAlias) mappers.set(metadata, (byAlias = new Map()));
  let mapper = byAlias.get(alias);
  if (!mapper) byAlias.set(alias, (mapper = buildMapper(dataSource, metadata, alias)));
  return mapper as RowMapper<E>;
}

function buildMapper(dataSource: DataSource, metadata: EntityMetadata, alias: string): RowMapper<unknown> {
  if (metadata.relations.length || metadata.embeddeds.length) {
    throw new Error(`rowMapper: ${metadata.name} has relations or embedded columns, which it does not map`);
  }
  const columns: MappedColumn[] = metadata.columns.map((column) => ({
    property: column.propertyName,
    rawKey: `${alias}_${column.databaseName}`,
    convert: converterOf(dataSource, column),
  }));
  return (raw) => {
    const entity = metadata.create() as ObjectLiteral;
    for (const column of columns) entity[column.property] = column.convert(raw[column.rawKey]);
    return entity;
  };
}

function converterOf(dataSource: DataSource, column: ColumnMetadata): Convert {
  const transformer = column.transformer;
  if (!PASSED_THROUGH.has(column.type)) return (value) => dataSource.driver.prepareHydratedValue(value, column);
  if (!transformer) return (value) => value;
  if (!Array.isArray(transformer)) return (value) => transformer.from(value);
  return (value) => ApplyValueTransformers.transformFrom(transformer, value);
}
