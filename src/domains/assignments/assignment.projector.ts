// assignment_created / _updated → the assignment, field by field: each field is the
// value of the newest event (by body.updated_at, else event_time) that carried it, so an
// absent field never erases and an explicit null does, in any arrival order
// (../../projection/field-versions.ts). Canvas's payload has updated_at but no created_at:
// createdAt is body.created_at when sent, else the time of assignment_created. A submission
// names its assignment too: recordAssignment (exported through index.ts) makes sure the
// assignment exists with its course.
import { z } from 'zod';
import { canvasId, decimal, instant, optionalNullable, text } from '../../canvas/fields';
import { earlier } from '../../canvas/time';
import { mergeFields, parseFieldVersions } from '../../projection/field-versions';
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
  created_at: optionalNullable(instant),
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
  | 'createdAt'
  | 'updatedAt'
>;

function courseOf(event: ProjectedEvent<AssignmentBody>): string | null | undefined {
  const { context_type, context_id } = event.body;
  if (context_type === 'Course' && context_id) return globalId(event, context_id);
  const metadata = event.metadata;
  // An assignment event's context is its course; the metadata says so when the body does not.
  return metadata.context_type === 'Course' && metadata.context_id ? globalId(event, metadata.context_id) : undefined;
}

function fieldsOf(event: ProjectedEvent<AssignmentBody>, clock: Date): { [K in keyof Fields]: Fields[K] | undefined } {
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
    createdAt: b.created_at ?? (event.name === 'assignment_created' ? event.time : undefined),
    updatedAt: clock,
  };
}

export const assignmentProjector: Projector<AssignmentBody> = {
  eventNames: ['assignment_created', 'assignment_updated'],
  body,
  rowsOf: (event) => [[Assignment, globalId(event, event.body.assignment_id)]],
  project: (event, store) => {
    const clock = event.body.updated_at ?? event.time;
    return applyAssignmentFields(
      store,
      globalId(event, event.body.assignment_id),
      event,
      clock,
      fieldsOf(event, clock),
    );
  },
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
  const merged = mergeFields<Assignment>(fields, version, current?.fieldVersions);
  const changes: Partial<Assignment> = {
    ...merged.changes,
    firstSeenAt: earlier(current?.firstSeenAt, event.time)!,
    fieldVersions: merged.fieldVersions,
  };
  if (isNewer(version, current?.stateVersion)) changes.stateVersion = version;
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
  const fromAssignmentEvent = parseFieldVersions(current?.fieldVersions).courseId !== undefined;
  if (courseId && !fromAssignmentEvent && (!current?.courseId || lowerId(courseId, current.courseId))) {
    changes.courseId = courseId;
  }
  await own.write(Assignment, current, { id }, changes);
}

function lowerId(a: string, b: string): boolean {
  return a.length < b.length || (a.length === b.length && a < b);
}
