// lti_resource_link_created / _updated → the resource link, latest state by event time,
// and the course it is placed in when its context is a Course.
import { z } from 'zod';
import { findForUpdate, writeRow } from '../../projection/rows';
import { canvasId, optionalNullable, text } from '../../canvas/fields';
import { activityTime, globalId, isNewer, Projector, stateVersion } from '../../projection/projector';
import { earlier, later } from '../../canvas/time';
import { touchCourse } from '../courses/course.projector';
import { Course } from '../courses/course.entity';
import { ResourceLink } from './resource-link.entity';

const body = z.looseObject({
  resource_link_id: canvasId,
  resource_link_uuid: optionalNullable(z.string().max(255)),
  lookup_uuid: optionalNullable(z.string().max(255)),
  context_id: canvasId,
  context_type: z.string().min(1).max(32),
  context_external_tool_id: optionalNullable(canvasId),
  url: optionalNullable(text),
  workflow_state: optionalNullable(z.string().max(32)),
});

export const resourceLinkProjector: Projector<z.output<typeof body>> = {
  eventNames: ['lti_resource_link_created', 'lti_resource_link_updated'],
  body,
  rowsOf: (event) => [
    [ResourceLink, globalId(event, event.body.resource_link_id)],
    ...(event.body.context_type === 'Course' ? [[Course, globalId(event, event.body.context_id)] as const] : []),
  ],
  async project(event, tx) {
    const b = event.body;
    const id = globalId(event, b.resource_link_id);
    const contextId = globalId(event, b.context_id);
    const current = await findForUpdate(tx, ResourceLink, { id });
    const version = stateVersion(event);
    const changes: Partial<ResourceLink> = {
      updatedAt: later(current?.updatedAt, activityTime(event)),
      createdAt:
        event.name === 'lti_resource_link_created'
          ? earlier(current?.createdAt, activityTime(event))
          : (current?.createdAt ?? null),
    };
    if (isNewer(version, current?.stateVersion)) {
      // The newest event's body is the state: a field it leaves out is null. (writeRow
      // skips undefined, which kept an older value only when the older event came first.)
      Object.assign(changes, {
        stateVersion: version,
        uuid: b.resource_link_uuid ?? null,
        lookupUuid: b.lookup_uuid ?? null,
        contextId,
        contextType: b.context_type,
        toolId: globalId(event, b.context_external_tool_id) ?? null,
        url: b.url ?? null,
        workflowState: b.workflow_state ?? null,
      });
    }
    await writeRow(tx, ResourceLink, current, { id }, changes);
    if (b.context_type === 'Course') await touchCourse(tx, contextId, event);
  },
};
