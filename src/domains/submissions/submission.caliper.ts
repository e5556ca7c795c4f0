// Caliper's submission events (Canvas's submission_created and submission_updated in
// Caliper 1.1) → the same submission rows as their Canvas-format twins. A Caliper event
// carries part of a submission: who (object.assignee), which assignment
// (object.assignable), the attempt (object.count), its text (object.body), its type and
// URL (object's Canvas extension); never its grade, score or state. What it carries is
// applied where it is newer than what the row holds (submission-field-versions.ts); what
// it lacks is left as it is. It adds no history row: history holds Canvas-format states,
// and a fact delivered in both formats must not count twice.
import { z } from 'zod';
import { canvasEntity, canvasExtensionOf } from '../../canvas/caliper';
import { instant, integer, optionalNullable, text } from '../../canvas/fields';
import { globalId, isNewer, Projector, stateVersion } from '../../projection/projector';
import { Assignment, recordAssignment } from '../assignments';
import { caliperFields } from './submission-field-versions';
import { Submission } from './submission.entity';
import { courseOf } from './submission.projector';

/** `caliper:<type>:<action>:<object type>` of Canvas's submission_created and submission_updated. */
export const CALIPER_SUBMISSION_EVENTS = [
  'caliper:AssignableEvent:Submitted:Attempt',
  'caliper:Event:Modified:Attempt',
];

const body = z.looseObject({
  object: canvasEntity('submission').extend({
    assignee: optionalNullable(canvasEntity('user')),
    assignable: optionalNullable(canvasEntity('assignment')),
    count: optionalNullable(integer),
    body: optionalNullable(text),
    dateModified: optionalNullable(instant),
    extensions: canvasExtensionOf({
      submission_type: optionalNullable(z.string().max(64)),
      url: optionalNullable(text),
    }),
  }),
});

type CaliperSubmission = z.output<typeof body>;

export const caliperSubmissionProjector: Projector<CaliperSubmission> = {
  eventNames: CALIPER_SUBMISSION_EVENTS,
  body,
  rowsOf: (event) => {
    const { object } = event.body;
    return [
      [Submission, globalId(event, object.id)],
      ...(object.assignable ? [[Assignment, globalId(event, object.assignable.id)] as const] : []),
    ];
  },
  async project(event, store) {
    const { object } = event.body;
    // IRIs name global ids; a local one is widened as body ids are.
    const id = globalId(event, object.id);
    const assignmentId = object.assignable ? globalId(event, object.assignable.id) : object.assignable;
    const version = stateVersion(event, object.dateModified ?? event.time);
    const courseId = courseOf(event);
    const current = await store.read(Submission, { id });
    const changes: Partial<Submission> = caliperFields(version, current, {
      // An entity the event names as null is cleared; one it leaves out is kept.
      userId: object.assignee ? globalId(event, object.assignee.id) : object.assignee,
      assignmentId,
      attempt: object.count,
      body: object.body,
      submissionType: object.extensions.submission_type,
      url: object.extensions.url,
    });
    // As for Canvas-format events: absent context never erases the course.
    if (courseId && (!current?.courseId || isNewer(version, current.stateVersion))) changes.courseId = courseId;
    await store.write(Submission, current, { id }, changes);
    if (assignmentId) await recordAssignment(store, assignmentId, event, courseId);
  },
};
