// Query parameters of an export, read by the kinds its declaration names: the GraphQL
// filter's fields, plus `since`. Unknown parameters, a parameter given twice that is not a
// list, and values of the wrong form are refused with a BadInputError naming the parameter.
import { idProblem, normalizeId } from '../canvas/canvas-id';
import { instantProblem, parseInstant } from '../canvas/time';
import { BadInputError } from '../errors';
import type { ExportParams, ParamKind } from './declaration';

/** At most this many values in a list parameter (as GraphQL's list arguments). */
export const MAX_LIST_PARAM = 100;
const MAX_VALUE_LENGTH = 200;

export interface ParsedQuery {
  /** The `since` cursor as given, or null. */
  since: string | null;
  params: ExportParams;
}

export function parseExportQuery(search: URLSearchParams, kinds: Record<string, ParamKind>): ParsedQuery {
  const names = [...new Set(search.keys())];
  for (const name of names) {
    if (name !== 'since' && !Object.hasOwn(kinds, name)) {
      const known = ['since', ...Object.keys(kinds)].join(', ');
      throw new BadInputError(`unknown parameter; this export takes ${known}`, name.slice(0, 60));
    }
  }
  const params: ExportParams = {};
  for (const name of names) {
    if (name === 'since') continue;
    params[name] = parseParam(name, kinds[name], search.getAll(name));
  }
  return { since: single('since', search.getAll('since')), params };
}

function single(name: string, values: string[]): string | null {
  if (values.length === 0) return null;
  if (values.length > 1) throw new BadInputError(`given ${values.length} times; give it once`, name);
  return values[0];
}

function parseParam(name: string, kind: ParamKind, values: string[]) {
  if (kind === 'ids' || kind === 'strings') {
    const items = values.flatMap((v) => v.split(',')).filter((v) => v !== '');
    if (items.length > MAX_LIST_PARAM) {
      throw new BadInputError(`may hold at most ${MAX_LIST_PARAM} values, got ${items.length}`, name);
    }
    items.forEach((item) => checkLength(name, item));
    const list = kind === 'ids' ? items.map((item) => id(name, item)) : items;
    return [...new Set(list)].sort();
  }
  const value = single(name, values)!;
  checkLength(name, value);
  switch (kind) {
    case 'id':
      return id(name, value);
    case 'string':
      return value;
    case 'boolean':
      if (value !== 'true' && value !== 'false') {
        throw new BadInputError(`must be true or false, got "${value.slice(0, 40)}"`, name);
      }
      return value === 'true';
    case 'number': {
      const number = Number(value);
      if (value.trim() === '' || !Number.isFinite(number)) {
        throw new BadInputError(`must be a finite number, got "${value.slice(0, 40)}"`, name);
      }
      return number;
    }
    case 'time': {
      // An unencoded `+02:00` in a URL arrives as ` 02:00`: read it as the + it was.
      const text = value.replace(/ (\d{2}(?::?\d{2})?)$/, '+$1');
      const problem = instantProblem(text);
      if (problem) throw new BadInputError(`${problem}, got "${value.slice(0, 40)}"`, name);
      return parseInstant(text);
    }
  }
}

function id(name: string, value: string): string {
  const problem = idProblem(value);
  if (problem) throw new BadInputError(`${problem}, got "${value.slice(0, 40)}"`, name);
  return normalizeId(value);
}

function checkLength(name: string, value: string): void {
  if (value.length > MAX_VALUE_LENGTH) {
    throw new BadInputError(`a value may be at most ${MAX_VALUE_LENGTH} characters`, name);
  }
}
