// Column decorators shared by every entity. Ids are BIGINT in both databases (numeric
// ordering) and strings in TypeScript: mysql2 hands them over as strings
// (bigNumberStrings) and better-sqlite3 as BigInt (safeIntegers), so one transformer
// brings both to the decimal string. Times are DATETIME(3) in UTC.
import { Column, ColumnOptions, PrimaryColumn, PrimaryGeneratedColumn, ValueTransformer } from 'typeorm';

const toDecimalString: ValueTransformer = {
  // Sent as BigInt so MySQL compares an id with a BIGINT column as integers (a quoted
  // string would be compared as a double on MySQL 8, confusing ids above 2^53).
  to: (value: unknown) => (typeof value === 'string' && /^[0-9]+$/.test(value) ? BigInt(value) : value),
  from: (value: unknown) => (value === null || value === undefined ? value : String(value)),
};

const toNumber: ValueTransformer = {
  to: (value: unknown) => value,
  from: (value: unknown) => (value === null || value === undefined ? value : Number(value)),
};

type Options = Pick<ColumnOptions, 'name' | 'nullable'>;

export const IdPrimaryColumn = (options: Pick<ColumnOptions, 'name'> = {}) =>
  PrimaryColumn('bigint', { ...options, transformer: toDecimalString });

/** An auto-increment sequence number (the event log's id), as a decimal string. */
export const SequenceColumn = () =>
  PrimaryGeneratedColumn('increment', { type: 'bigint', transformer: toDecimalString } as never);

export const IdColumn = (options: Options = {}) =>
  Column('bigint', { nullable: true, ...options, transformer: toDecimalString });

export const TimeColumn = (options: Options = {}) => Column('datetime', { nullable: true, precision: 3, ...options });

export const IntColumn = (options: Options = {}) =>
  Column('integer', { nullable: true, ...options, transformer: toNumber });

export const FloatColumn = (options: Options = {}) =>
  Column('double', { nullable: true, ...options, transformer: toNumber });

export const TextColumn = (options: Options = {}) => Column('text', { nullable: true, ...options });

export const StringColumn = (length: number, options: Options = {}) =>
  Column('varchar', { nullable: true, length, ...options });

export const BoolColumn = (options: Options = {}) =>
  Column('boolean', {
    nullable: true,
    ...options,
    transformer: {
      to: (v: unknown) => v,
      from: (v: unknown) => (v === null || v === undefined ? v : Boolean(Number(v))),
    },
  });

/** Ids as query parameters: BigInt, so MySQL compares them as integers, never as doubles. */
export function idParams(ids: readonly string[]): bigint[] {
  return ids.map((id) => BigInt(id));
}
