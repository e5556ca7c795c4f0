// assignment_created / _updated → the assignment, field by field: each field is the
// value of the newest event (by body.updated_at, else event_time) that carried it, so an
// absent field never erases and an explicit null does, in any arrival order. A submission
// names its assignment too: recordAssignment (exported through index.ts) makes sure the
// assignment exists with its course.
import { z } from 'zod';
import { canvasId, decimal, instant, optionalNullable, text } from '../../canvas/fields';
import { earlier } from '../../canvas/time';
import { globalId, isNewer, ProjectedEvent, Projector, stateVersion } from '../../projection/projector';
import type { ProjectionStore } from '../../projection/store';
import { Assignment } from './assignment.entity';

export const ASSIGNMENTS_DOMAIN = 'assignments';

const body = z.looseObject({
  assignment_id: canvasId,
  context_id: optionalNullable(canvasId),
  context_type: optionalNullable(z.string().max(32)),
  title: optionalNullable(text),
  description: optionalNullable(text),
  due_at: optionalNullable(instant),
  unlock_at: optionalNullable(instant),
  lock_at: optionalNullable(instant),
  points_possible: optionalNullable(decimal),
  submission_types: optionalNullable(text),
  workflow_state: optionalNullable(z.string().max(32)),
  updated_at: optionalNullable(instant),
});

type AssignmentBody = z.output<typeof body>;

/** The fields an assignment event sets, each from its body field (undefined: absent, never erases). */
export type Fields = Pick<
  Assignment,
  | 'courseId'
  | 'title'
  | 'description'
  | 'dueAt'
  | 'unlockAt'
  | 'lockAt'
  | 'pointsPossible'
  | 'submissionTypes'
  | 'workflowState'
>;

type Versions = Partial<Record<keyof Fields, string>>;

function courseOf(event: ProjectedEvent<AssignmentBody>): string | null | undefined {
  const { context_type, context_id } = event.body;
  if (context_type === 'Course' && context_id) return globalId(event, context_id);
  const metadata = event.metadata;
  // An assignment event's context is its course; the metadata says so when the body does not.
  return metadata.context_type === 'Course' && metadata.context_id ? globalId(event, metadata.context_id) : undefined;
}

function fieldsOf(event: ProjectedEvent<AssignmentBody>): { [K in keyof Fields]: Fields[K] | undefined } {
  const b = event.body;
  return {
    courseId: courseOf(event),
    title: b.title,
    description: b.description,
    dueAt: b.due_at,
    unlockAt: b.unlock_at,
    lockAt: b.lock_at,
    pointsPossible: b.points_possible,
    submissionTypes: b.submission_types,
    workflowState: b.workflow_state,
  };
}

function parseVersions(text: string | null | undefined): Versions {
  return text ? (JSON.parse(text) as Versions) : {};
}

/** Sorted keys: equal versions are equal text, whatever order they were learnt in. */
function stringifyVersions(versions: Versions): string {
  return JSON.stringify(
    Object.fromEntries(
      Object.keys(versions)
        .sort()
        .map((k) => [k, versions[k as keyof Fields]]),
    ),
  );
}

export const assignmentProjector: Projector<AssignmentBody> = {
  eventNames: ['assignment_created', 'assignment_updated'],
  body,
  rowsOf: (event) => [[Assignment, globalId(event, event.body.assignment_id)]],
  project: (event, store) =>
    applyAssignmentFields(
      store,
      globalId(event, event.body.assignment_id),
      event,
      event.body.updated_at ?? event.time,
      fieldsOf(event),
    ),
};

/**
 * Applies what an assignment event says (in either format): each field it carries
 * (undefined: not said) that is newer, by `clock`, than the value the row holds.
 */
export async function applyAssignmentFields(
  store: ProjectionStore,
  id: string,
  event: ProjectedEvent<unknown>,
  clock: Date,
  fields: { [K in keyof Fields]?: Fields[K] | undefined },
): Promise<void> {
  const version = stateVersion(event, clock);
  const current = await store.read(Assignment, { id });
  const versions = parseVersions(current?.fieldVersions);
  const changes: Partial<Assignment> = { firstSeenAt: earlier(current?.firstSeenAt, event.time)! };
  for (const [field, value] of Object.entries(fields) as [keyof Fields, unknown][]) {
    if (value === undefined || !isNewer(version, versions[field])) continue;
    (changes as Record<string, unknown>)[field] = value;
    versions[field] = version;
  }
  if (isNewer(version, current?.stateVersion)) changes.stateVersion = version;
  changes.fieldVersions = stringifyVersions(versions);
  await store.write(Assignment, current, { id }, changes);
}

/**
 * Records what another event (a submission) knows of an assignment: it exists, first
 * seen no later than `event`, in `courseId` unless an assignment event said otherwise.
 * Several courses named that way (never from Canvas) resolve to the lowest id, so the
 * result does not depend on arrival order.
 */
export async function recordAssignment(
  store: ProjectionStore,
  id: string,
  event: Pick<ProjectedEvent<unknown>, 'time'>,
  courseId: string | undefined,
): Promise<void> {
  const own = store.actingFor(ASSIGNMENTS_DOMAIN);
  const current = await own.read(Assignment, { id });
  const changes: Partial<Assignment> = { firstSeenAt: earlier(current?.firstSeenAt, event.time)! };
  const fromAssignmentEvent = parseVersions(current?.fieldVersions).courseId !== undefined;
  if (courseId && !fromAssignmentEvent && (!current?.courseId || lowerId(courseId, current.courseId))) {
    changes.courseId = courseId;
  }
  await own.write(Assignment, current, { id }, changes);
}

function lowerId(a: string, b: string): boolean {
  return a.length < b.length || (a.length === b.length && a < b);
}
