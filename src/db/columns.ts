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

/** The property of ChangedSeqColumn: the projection store stamps it on every row it writes. */
export const CHANGED_SEQ = 'changedSeq';

/**
 * `changed_seq`: the log sequence (events.id, arrival order) of the last event whose
 * projection wrote the row; what exports' `since` cursor compares. Null for rows last
 * written before the column existed (counted as changed at 0). Stamped centrally by the
 * projection store, never by projectors; declare it as `changedSeq` on tables that are exported.
 */
export const ChangedSeqColumn = () =>
  Column('bigint', { name: 'changed_seq', nullable: true, transformer: toDecimalString });

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
