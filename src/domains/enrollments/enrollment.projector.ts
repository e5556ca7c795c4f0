// enrollment_created / _updated → the enrollment, field by field: each field is the value
// of the newest event (by body.updated_at, else event_time) that carried it, in any
// arrival order (../../projection/field-versions.ts). The enrollment's course and user
// are recorded through their domains (created when unknown; the event is activity in the
// course and involves the user, so it widens course activity and the user's lastSeenAt).
import { z } from 'zod';
import { canvasId, instant, optionalNullable, text, varchar } from '../../canvas/fields';
import { mergeFields } from '../../projection/field-versions';
import { activityTime, globalId, isNewer, ProjectedEvent, Projector, stateVersion } from '../../projection/projector';
import type { ProjectionStore } from '../../projection/store';
import { Course, recordCourse } from '../courses';
import { recordUser, User } from '../users';
import { Enrollment } from './enrollment.entity';

export const ENROLLMENTS_DOMAIN = 'enrollments';

const body = z.looseObject({
  enrollment_id: canvasId,
  course_id: canvasId,
  user_id: canvasId,
  course_section_id: optionalNullable(canvasId),
  type: optionalNullable(varchar(64)),
  role: optionalNullable(varchar(255)),
  role_id: optionalNullable(canvasId),
  workflow_state: optionalNullable(varchar(32)),
  user_name: optionalNullable(text),
  created_at: optionalNullable(instant),
  updated_at: optionalNullable(instant),
});

type EnrollmentBody = z.output<typeof body>;

/** What an enrollment event (in either format) says: each field it carries, undefined when it does not (never erases). */
export type EnrollmentFields = {
  [K in keyof Omit<Enrollment, 'id' | 'stateVersion' | 'fieldVersions' | 'changedSeq'>]?: Enrollment[K] | undefined;
} & { courseId: string; userId: string };

function fieldsOf(event: ProjectedEvent<EnrollmentBody>, clock: Date): EnrollmentFields {
  const b = event.body;
  return {
    courseId: globalId(event, b.course_id),
    userId: globalId(event, b.user_id),
    courseSectionId: globalId(event, b.course_section_id),
    type: b.type,
    role: b.role,
    roleId: globalId(event, b.role_id),
    workflowState: b.workflow_state,
    userName: b.user_name,
    createdAt: b.created_at ?? (event.name === 'enrollment_created' ? event.time : undefined),
    updatedAt: clock,
  };
}

export const enrollmentProjector: Projector<EnrollmentBody> = {
  eventNames: ['enrollment_created', 'enrollment_updated'],
  body,
  rowsOf: (event) => [
    [Enrollment, globalId(event, event.body.enrollment_id)],
    [Course, globalId(event, event.body.course_id)],
    [User, globalId(event, event.body.user_id)],
  ],
  project(event, store) {
    const clock = event.body.updated_at ?? event.time;
    return applyEnrollmentFields(
      store,
      globalId(event, event.body.enrollment_id),
      event,
      clock,
      fieldsOf(event, clock),
    );
  },
};

/**
 * Applies what an enrollment event says (in either format) to enrollment `id`: each field
 * it carries that is newer, by `clock`, than the value the row holds; then records its
 * course and user.
 */
export async function applyEnrollmentFields(
  store: ProjectionStore,
  id: string,
  event: ProjectedEvent<unknown>,
  clock: Date,
  fields: EnrollmentFields,
): Promise<void> {
  const version = stateVersion(event, clock);
  const current = await store.read(Enrollment, { id });
  const merged = mergeFields<Enrollment>(fields, version, current?.fieldVersions);
  // An event whose clock is too far ahead sets nothing (isNewer), so it creates no
  // enrollment either: a new row always has its course and user.
  if (current || isNewer(version, null)) {
    const changes: Partial<Enrollment> = { ...merged.changes, fieldVersions: merged.fieldVersions };
    if (isNewer(version, current?.stateVersion)) changes.stateVersion = version;
    await store.write(Enrollment, current, { id }, changes);
  }
  await recordCourse(store, fields.courseId, event);
  await recordUser(store, fields.userId, activityTime(event), () => ({}));
}
