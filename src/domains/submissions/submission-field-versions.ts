// A submission's state is the newest Canvas-format snapshot (stateVersion), except for
// the fields a newer Caliper event set: those keep their own version in fieldVersions.
// Each field is then the value of the newest event that said it (a snapshot says every
// field; a Caliper event only what it carries), whatever the arrival order.
import { isNewer } from '../../projection/projector';
import type { Submission } from './submission.entity';

export type SubmissionFields = Partial<Omit<Submission, 'id' | 'stateVersion' | 'fieldVersions'>>;

type Versions = Record<string, string>;

function parseVersions(text: string | null | undefined): Versions {
  return text ? (JSON.parse(text) as Versions) : {};
}

/** Sorted keys: equal versions are equal text, whatever order they were learnt in; none: null. */
function stringifyVersions(versions: Versions): string | null {
  const keys = Object.keys(versions).sort();
  return keys.length === 0 ? null : JSON.stringify(Object.fromEntries(keys.map((k) => [k, versions[k]])));
}

/**
 * The changes a snapshot newer than the current state makes: each field, unless a
 * Caliper event newer than the snapshot set it; those newer versions stay, the rest go.
 */
export function snapshotUnderCaliper(
  version: string,
  current: Submission | null,
  snapshot: SubmissionFields,
): SubmissionFields & Pick<Submission, 'fieldVersions'> {
  const versions = parseVersions(current?.fieldVersions);
  const changes: SubmissionFields = {};
  for (const [field, value] of Object.entries(snapshot)) {
    if (versions[field] !== undefined && !isNewer(version, versions[field])) continue;
    delete versions[field];
    (changes as Record<string, unknown>)[field] = value;
  }
  return { ...changes, fieldVersions: stringifyVersions(versions) };
}

/**
 * The changes a Caliper event makes: each field it carries (undefined: not said) that
 * is newer than the field's version (its own, else the snapshot's).
 */
export function caliperFields(
  version: string,
  current: Submission | null,
  fields: SubmissionFields,
): SubmissionFields & Partial<Pick<Submission, 'fieldVersions'>> {
  const versions = parseVersions(current?.fieldVersions);
  const changes: SubmissionFields = {};
  for (const [field, value] of Object.entries(fields)) {
    if (value === undefined || !isNewer(version, versions[field] ?? current?.stateVersion)) continue;
    (changes as Record<string, unknown>)[field] = value;
    versions[field] = version;
  }
  return Object.keys(changes).length === 0 ? {} : { ...changes, fieldVersions: stringifyVersions(versions) };
}
