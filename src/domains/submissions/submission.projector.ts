// submission_created / _updated → the submission's latest state (by body.updated_at,
// else event_time) and one history row per event, so a late older event still shows
// in history without overwriting newer state.
import { z } from 'zod';
import { canvasId, decimal, instant, integer, optionalNullable, text } from '../../canvas/fields';
import { globalId, isNewer, ProjectedEvent, Projector, stateVersion } from '../../projection/projector';
import type { ProjectionStore } from '../../projection/store';
import { Assignment, recordAssignment } from '../assignments';
import { Submission } from './submission.entity';
import { SubmissionVersion } from './submission-version.entity';
import { snapshotUnderCaliper } from './submission-field-versions';

const body = z.looseObject({
  submission_id: canvasId,
  assignment_id: optionalNullable(canvasId),
  user_id: optionalNullable(canvasId),
  attempt: optionalNullable(integer),
  body: optionalNullable(text),
  grade: optionalNullable(z.string().max(255)),
  score: optionalNullable(decimal),
  late: optionalNullable(z.boolean()),
  missing: optionalNullable(z.boolean()),
  group_id: optionalNullable(canvasId),
  lti_assignment_id: optionalNullable(z.string().max(255)),
  lti_user_id: optionalNullable(z.string().max(255)),
  submission_type: optionalNullable(z.string().max(64)),
  url: optionalNullable(text),
  workflow_state: optionalNullable(z.string().max(32)),
  submitted_at: optionalNullable(instant),
  graded_at: optionalNullable(instant),
  posted_at: optionalNullable(instant),
  updated_at: optionalNullable(instant),
});

type SubmissionBody = z.output<typeof body>;

/** The course a Canvas event happened in, when its context is a course. */
export function courseOf(event: Pick<ProjectedEvent<unknown>, 'metadata'>): string | undefined {
  const { context_type, context_id } = event.metadata;
  return context_type === 'Course' && context_id ? globalId(event, context_id) : undefined;
}

export const SUBMISSIONS_DOMAIN = 'submissions';

/**
 * Records what an event that names a submission knows of it (a comment may arrive before
 * its submission): the row exists, with the course when the event knows it and the row
 * does not.
 */
export async function recordSubmission(
  store: ProjectionStore,
  id: string,
  courseId: string | undefined,
): Promise<void> {
  const own = store.actingFor(SUBMISSIONS_DOMAIN);
  const current = await own.read(Submission, { id });
  if (current && (current.courseId || !courseId)) return;
  await own.write(Submission, current, { id }, { courseId: courseId ?? null });
}

export const submissionProjector: Projector<SubmissionBody> = {
  eventNames: ['submission_created', 'submission_updated'],
  body,
  rowsOf: (event) => [
    [Submission, globalId(event, event.body.submission_id)],
    ...(event.body.assignment_id ? [[Assignment, globalId(event, event.body.assignment_id)] as const] : []),
  ],
  async project(event, store) {
    const b = event.body;
    const id = globalId(event, b.submission_id);
    const clock = b.updated_at ?? event.time;
    const version = stateVersion(event, clock);
    const courseId = courseOf(event);
    const current = await store.read(Submission, { id });

    const changes: Partial<Submission> = {};
    // Absent metadata never erases the course; a newer event's state replaces the rest.
    if (courseId && (!current?.courseId || isNewer(version, current.stateVersion))) changes.courseId = courseId;
    if (isNewer(version, current?.stateVersion)) {
      // The newest event's body is the state, field for field: a field it leaves out is
      // null, not the older value. write skips undefined, so an absent field used to
      // keep the older event's value when that one arrived first, and stay null when it
      // arrived second: the result depended on arrival order. A field a newer Caliper
      // event set keeps that event's value (submission.caliper.ts).
      const snapshot = {
        assignmentId: globalId(event, b.assignment_id) ?? null,
        userId: globalId(event, b.user_id) ?? null,
        attempt: b.attempt ?? null,
        body: b.body ?? null,
        grade: b.grade ?? null,
        score: b.score ?? null,
        late: b.late ?? null,
        missing: b.missing ?? null,
        groupId: globalId(event, b.group_id) ?? null,
        ltiAssignmentId: b.lti_assignment_id ?? null,
        ltiUserId: b.lti_user_id ?? null,
        submissionType: b.submission_type ?? null,
        url: b.url ?? null,
        workflowState: b.workflow_state ?? null,
        submittedAt: b.submitted_at ?? null,
        gradedAt: b.graded_at ?? null,
        updatedAt: b.updated_at ?? null,
      } satisfies Partial<Submission>;
      Object.assign(changes, { stateVersion: version, ...snapshotUnderCaliper(version, current, snapshot) });
    }
    if (b.posted_at !== undefined && isNewer(version, current?.postedAtVersion)) {
      Object.assign(changes, { postedAt: b.posted_at, postedAtVersion: version });
    }
    await store.write(Submission, current, { id }, changes);
    // The assignment it belongs to exists, in the submission's course, even before its own events.
    if (b.assignment_id) await recordAssignment(store, globalId(event, b.assignment_id), event, courseId);

    // One history row per (submission, event): a replayed event finds its row there.
    await store.insertUnlessPresent(
      SubmissionVersion,
      {
        submissionId: id,
        eventId: event.sequence,
        eventName: event.name,
        eventTime: event.time,
        clock,
        attempt: b.attempt ?? null,
        grade: b.grade ?? null,
        score: b.score ?? null,
        workflowState: b.workflow_state ?? null,
        late: b.late ?? null,
        missing: b.missing ?? null,
        submittedAt: b.submitted_at ?? null,
        gradedAt: b.graded_at ?? null,
        updatedAt: b.updated_at ?? null,
      },
      ['submission_id', 'event_id'],
    );
  },
};
