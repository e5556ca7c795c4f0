// The two formats of an export, one row at a time.
//
// NDJSON: one JSON object per line, keys the column names in declaration order; ids as
// strings (64-bit, every digit), times ISO-8601 UTC with milliseconds, null for no value.
//
// CSV (RFC 4180): a header row, CRLF line ends, every cell that holds a comma, a quote,
// CR or LF quoted with its quotes doubled; null is an empty cell. Text cells that a
// spreadsheet would run as a formula (leading `=`, `+`, `-`, `@`, tab or CR) get a `'`
// prepended — the OWASP advice for CSV injection — so `=HYPERLINK(...)` from a comment body
// arrives as the text `'=HYPERLINK(...)`. Number, boolean, id and time cells are written
// by us, never start like that (a negative number stays a number) and are not prefixed.
import { parseLossless, stringifyLossless } from '../canvas/lossless-json';
import { formatInstant } from '../canvas/time';
import type { ColumnKind, ExportColumn } from './declaration';

export type ExportFormat = 'ndjson' | 'csv';

export const CONTENT_TYPES: Record<ExportFormat, string> = {
  ndjson: 'application/x-ndjson; charset=utf-8',
  csv: 'text/csv; charset=utf-8; header=present',
};

/** A column's value of a row, in the form both formats start from (null for none). */
function plainValue(kind: ColumnKind, value: unknown): string | number | boolean | string[] | null {
  if (value === null || value === undefined) return null;
  switch (kind) {
    case 'time':
      return formatInstant(value as Date);
    case 'number':
      return Number(value);
    case 'boolean':
      return Boolean(value);
    case 'list':
      return (value as unknown[]).map(String);
    case 'json':
      // Re-serialised (compact, numbers kept digit for digit): stored text may hold line breaks.
      return stringifyLossless(parseLossless(String(value)));
    default:
      return String(value);
  }
}

export interface RowWriter<E> {
  /** The text before the first row (the CSV header), '' for none. */
  header: string;
  row(row: E): string;
}

/** Writes rows of `columns` in `format`; `hidden` columns (personal data for non-admins) are written empty. */
export function rowWriter<E>(
  format: ExportFormat,
  columns: ExportColumn<E>[],
  hidden: (column: ExportColumn<E>) => boolean,
): RowWriter<E> {
  const cells = columns.map((column) => ({
    column,
    hidden: hidden(column),
    get: column.value ?? ((row: E) => (row as Record<string, unknown>)[column.name]),
  }));
  if (format === 'ndjson') {
    return {
      header: '',
      row: (row) => {
        const parts = cells.map(({ column, hidden, get }) => {
          const value = hidden ? null : plainValue(column.kind, get(row));
          // A json column's text is already JSON (lossless); everything else is stringified.
          const json = column.kind === 'json' && value !== null ? (value as string) : JSON.stringify(value);
          return `${JSON.stringify(column.name)}:${json}`;
        });
        return `{${parts.join(',')}}\n`;
      },
    };
  }
  return {
    header: `${cells.map(({ column }) => csvCell(column.name, 'text')).join(',')}\r\n`,
    row: (row) =>
      `${cells
        .map(({ column, hidden, get }) => (hidden ? '' : csvCell(plainValue(column.kind, get(row)), column.kind)))
        .join(',')}\r\n`,
  };
}

const FORMULA_START = /^[=+\-@\t\r]/;

/** One RFC 4180 cell; text that could run as a spreadsheet formula is prefixed with '. */
export function csvCell(value: string | number | boolean | string[] | null, kind: ColumnKind): string {
  if (value === null) return '';
  let text = Array.isArray(value) ? JSON.stringify(value) : String(value);
  if ((kind === 'text' || kind === 'json') && FORMULA_START.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}
