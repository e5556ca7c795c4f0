// Cursors over groups: the last group's key, opaque (base64url JSON) and naming the
// dataset, grouping and time zone that made it, so a cursor from another list is
// refused. A tiny codec of its own rather than graphql/connection.ts's, whose cursors
// hold one sort value and an id; a group key has one value per dimension and no id.
import { BadInputError } from '../errors';
import { idProblem } from '../canvas/canvas-id';
import type { Dimension } from './aggregate';

/** One dimension's value in a cursor: ids and periods (ISO) as strings, booleans, or null. */
export type KeyValue = string | boolean | null;

const VERSION = 1;

export function encodeStatsCursor(scope: string, values: KeyValue[]): string {
  return Buffer.from(JSON.stringify([VERSION, scope, ...values]), 'utf8').toString('base64url');
}

/** The key values in `cursor`; a BadInputError at `path` unless it was made by `scope` with these dimensions. */
export function decodeStatsCursor(cursor: string, scope: string, dimensions: Dimension[], path: string): KeyValue[] {
  const invalid = (why: string) =>
    new BadInputError(
      `is not a cursor of this list (${why}): pass the endCursor of a previous page of the same stats query`,
      path,
    );
  let payload: unknown;
  try {
    payload = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalid('not readable');
  }
  if (!Array.isArray(payload) || payload[0] !== VERSION) throw invalid('not readable');
  if (payload[1] !== scope) throw invalid('made for another grouping, time zone or dataset');
  const values = payload.slice(2);
  if (values.length !== dimensions.length) throw invalid('wrong number of key values');
  values.forEach((value, i) => {
    const problem = keyValueProblem(dimensions[i], value);
    if (problem) throw invalid(`key value ${i} ${problem}`);
  });
  return values as KeyValue[];
}

/** Checks a key value decoded from a cursor against its dimension; the reason when it does not fit. */
function keyValueProblem(dimension: Dimension, value: unknown): string | null {
  if (value === null) return null;
  switch (dimension.kind) {
    case 'id':
      return typeof value === 'string' ? idProblem(value) : 'is not an id';
    case 'boolean':
      return typeof value === 'boolean' ? null : 'is not a boolean';
    case 'period':
      return typeof value === 'string' && !Number.isNaN(Date.parse(value)) ? null : 'is not an instant';
    default:
      return typeof value === 'string' ? null : 'is not a string';
  }
}
