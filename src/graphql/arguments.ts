// Checks for argument values GraphQL's type system cannot express: ids must be decimal
// Canvas ids (the ID type accepts any string), lists of them bounded. A bad value is a
// BadInputError whose path names the argument, e.g. `filter.courseId`.
import { BadInputError } from '../errors';
import { idProblem, normalizeId } from '../canvas/canvas-id';

/** A global Canvas id from an argument, normalised ("007" → "7"). */
export function idArgument(value: string, path: string): string {
  const problem = idProblem(value);
  if (problem) throw new BadInputError(`${problem}, got "${value.slice(0, 40)}"`, path);
  return normalizeId(value);
}

/** Like idArgument for an optional argument: null and undefined mean "not given". */
export function optionalIdArgument(value: string | null | undefined, path: string): string | undefined {
  return value == null ? undefined : idArgument(value, path);
}

export const MAX_LIST_ARGUMENT = 100;

/** A list argument (names, states) without repeats, in a stable order; at most MAX_LIST_ARGUMENT items. */
export function listArgument(values: readonly string[] | null | undefined, path: string): string[] | undefined {
  if (values == null) return undefined;
  if (values.length > MAX_LIST_ARGUMENT) {
    throw new BadInputError(`may hold at most ${MAX_LIST_ARGUMENT} items, got ${values.length}`, path);
  }
  return [...new Set(values)].sort();
}

/** A list argument of ids, each checked; at most MAX_LIST_ARGUMENT of them. */
export function idListArgument(values: readonly string[] | null | undefined, path: string): string[] | undefined {
  return listArgument(values, path)?.map((v) => idArgument(v, `${path}[${values!.indexOf(v)}]`));
}
