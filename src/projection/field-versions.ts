// "Each field is the value of the newest event that carried it": the merge rule of rows
// whose events may leave fields out (assignments, enrollments). An absent field never
// erases and an explicit null does, in any arrival order, because every field keeps the
// version (see stateVersion) of the event that set it; one version for the whole row
// would make the result depend on arrival order. The versions are kept as JSON text,
// keys sorted, so equal versions are equal text whatever order they were learnt in.
import { isNewer } from './projector';

export type FieldVersions = Record<string, string>;

export function parseFieldVersions(text: string | null | undefined): FieldVersions {
  return text ? (JSON.parse(text) as FieldVersions) : {};
}

function stringifyFieldVersions(versions: FieldVersions): string {
  return JSON.stringify(
    Object.fromEntries(
      Object.keys(versions)
        .sort()
        .map((k) => [k, versions[k]]),
    ),
  );
}

/**
 * The changes an event at `version` makes to a row whose field versions are
 * `currentVersions`: each field it carries (not undefined) and carries newer than the
 * row's, and the field versions after it.
 */
export function mergeFields<T extends object>(
  fields: { [K in keyof T]?: T[K] | undefined },
  version: string,
  currentVersions: string | null | undefined,
): { changes: Partial<T>; fieldVersions: string } {
  const versions = parseFieldVersions(currentVersions);
  const changes: Partial<T> = {};
  for (const [field, value] of Object.entries(fields) as [keyof T & string, T[keyof T & string] | undefined][]) {
    if (value === undefined || !isNewer(version, versions[field])) continue;
    changes[field] = value;
    versions[field] = version;
  }
  return { changes, fieldVersions: stringifyFieldVersions(versions) };
}
