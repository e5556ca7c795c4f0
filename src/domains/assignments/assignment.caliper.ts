// Caliper's assignment events (Canvas's assignment_created and assignment_updated in
// Caliper 1.1) → the same assignment rows as their Canvas-format twins, field by field
// with the same versions: name → title, description, dateToShow → unlock_at,
// dateToSubmit → due_at, maxScore → points_possible, the Canvas extension's lock_at and
// workflow_state; the course from `group`. A field the event leaves out (Caliper has no
// submission_types) is not said: it erases nothing.
import { z } from 'zod';
import { canvasEntity, canvasExtensionOf } from '../../canvas/caliper';
import { decimal, instant, optionalNullable, text } from '../../canvas/fields';
import { globalId, Projector } from '../../projection/projector';
import { applyAssignmentFields } from './assignment.projector';
import { Assignment } from './assignment.entity';

/** `caliper:<type>:<action>:<object type>` of Canvas's assignment_created and assignment_updated. */
export const CALIPER_ASSIGNMENT_EVENTS = [
  'caliper:Event:Created:AssignableDigitalResource',
  'caliper:Event:Modified:AssignableDigitalResource',
];

const body = z.looseObject({
  object: canvasEntity('assignment').extend({
    name: optionalNullable(text),
    description: optionalNullable(text),
    dateToShow: optionalNullable(instant),
    dateToSubmit: optionalNullable(instant),
    maxScore: optionalNullable(decimal),
    dateCreated: optionalNullable(instant),
    dateModified: optionalNullable(instant),
    extensions: canvasExtensionOf({
      lock_at: optionalNullable(instant),
      workflow_state: optionalNullable(z.string().max(32)),
    }),
  }),
});

type CaliperAssignment = z.output<typeof body>;

export const caliperAssignmentProjector: Projector<CaliperAssignment> = {
  eventNames: CALIPER_ASSIGNMENT_EVENTS,
  body,
  rowsOf: (event) => [[Assignment, globalId(event, event.body.object.id)]],
  project(event, store) {
    const { object } = event.body;
    const { context_type, context_id } = event.metadata;
    // The twin's clock is the assignment's updated_at: dateModified, or dateCreated when it was just created.
    const clock = object.dateModified ?? object.dateCreated ?? event.time;
    return applyAssignmentFields(
      store,
      // IRIs name global ids; a local one is widened as body ids are.
      globalId(event, object.id),
      event,
      clock,
      {
        courseId: context_type === 'Course' && context_id ? globalId(event, context_id) : undefined,
        title: object.name,
        description: object.description,
        unlockAt: object.dateToShow,
        dueAt: object.dateToSubmit,
        lockAt: object.extensions.lock_at,
        pointsPossible: object.maxScore,
        workflowState: object.extensions.workflow_state,
        createdAt: object.dateCreated ?? undefined,
        updatedAt: clock,
      },
    );
  },
};
