// Caliper's enrollment events (Canvas's enrollment_created and enrollment_updated in
// Caliper 1.1) → the same enrollment rows as their Canvas-format twins, field by field
// with the same versions: object.id → the enrollment; from the object's Canvas extension
// course_id and user_id (IRIs), course_section_id (a section IRI), type, workflow_state
// and user_name; dateCreated → createdAt; clock dateModified, else dateCreated. `group`
// is the section, so the course comes from course_id. A field the event leaves out
// (Caliper has no role or role_id) is not said: it erases nothing.
import { z } from 'zod';
import {
  canvasEntity,
  canvasExtension,
  canvasExtensionOf,
  canvasIri,
  canvasSectionIri,
  parseCanvasIri,
} from '../../canvas/caliper';
import { instant, optionalNullable, text, varchar } from '../../canvas/fields';
import { globalId, Projector } from '../../projection/projector';
import { Course } from '../courses';
import { User } from '../users';
import { Enrollment } from './enrollment.entity';
import { applyEnrollmentFields } from './enrollment.projector';

/**
 * `caliper:<type>:<action>:<object type>` of Canvas's enrollment_created and
 * enrollment_updated: generic names, shared with assignment overrides, enrollment states,
 * group categories and account associations (see `takes`).
 */
export const CALIPER_ENROLLMENT_EVENTS = ['caliper:Event:Created:Entity', 'caliper:Event:Modified:Entity'];

const body = z.looseObject({
  object: canvasEntity('enrollment').extend({
    dateCreated: optionalNullable(instant),
    dateModified: optionalNullable(instant),
    extensions: canvasExtensionOf({
      course_id: canvasIri('course'),
      user_id: canvasIri('user'),
      course_section_id: optionalNullable(canvasSectionIri),
      type: optionalNullable(varchar(64)),
      workflow_state: optionalNullable(varchar(32)),
      user_name: optionalNullable(text),
    }),
  }),
});

type CaliperEnrollment = z.output<typeof body>;

export const caliperEnrollmentProjector: Projector<CaliperEnrollment> = {
  eventNames: CALIPER_ENROLLMENT_EVENTS,
  /**
   * An enrollment: its object's IRI kind is `enrollment` and its Canvas extension names
   * the course or the user. An enrollment state's object has the same IRI kind but names
   * neither (its extension has `state`, `access_is_current`, …); Canvas-format
   * enrollment_state events are not projected, so neither are these. Every other kind
   * stays UNPROJECTED as its Canvas-format twin does, and is never checked against this
   * schema.
   */
  takes(raw) {
    const object = (raw as { object?: { id?: unknown } } | null)?.object;
    if (parseCanvasIri(object?.id)?.kind !== 'enrollment') return false;
    const extension = canvasExtension(object);
    return extension.course_id !== undefined || extension.user_id !== undefined;
  },
  body,
  rowsOf: (event) => {
    const { object } = event.body;
    return [
      [Enrollment, globalId(event, object.id)],
      [Course, globalId(event, object.extensions.course_id)],
      [User, globalId(event, object.extensions.user_id)],
    ];
  },
  project(event, store) {
    const { object } = event.body;
    const extension = object.extensions;
    // The twin's clock is the enrollment's updated_at: dateModified, or dateCreated when it was just created.
    const clock = object.dateModified ?? object.dateCreated ?? event.time;
    // IRIs name global ids; a local one is widened as body ids are.
    return applyEnrollmentFields(store, globalId(event, object.id), event, clock, {
      courseId: globalId(event, extension.course_id),
      userId: globalId(event, extension.user_id),
      courseSectionId: globalId(event, extension.course_section_id),
      type: extension.type,
      workflowState: extension.workflow_state,
      userName: extension.user_name,
      createdAt: object.dateCreated ?? (event.name === CALIPER_ENROLLMENT_EVENTS[0] ? event.time : undefined),
      updatedAt: clock,
    });
  },
};
