// lti_resource_link_created / _updated → the resource link, latest state by event time,
// and the course it is placed in when its context is a Course. What LTI launches say of
// a link comes from the LTI domain through the operations exported here (index.ts): the
// resource_links table is written by this domain only.
import { z } from 'zod';
import { canvasId, optionalNullable, text } from '../../canvas/fields';
import { idProblem } from '../../canvas/canvas-id';
import { activityTime, globalId, isNewer, Projector, stateVersion } from '../../projection/projector';
import type { ProjectionStore } from '../../projection/store';
import { earlier, later } from '../../canvas/time';
import { Course, recordCourse } from '../courses';
import { ResourceLink } from './resource-link.entity';

export const RESOURCE_LINKS_DOMAIN = 'resource-links';

const body = z.looseObject({
  resource_link_id: canvasId,
  resource_link_uuid: optionalNullable(z.string().max(255)),
  lookup_uuid: optionalNullable(z.string().max(255)),
  context_id: canvasId,
  context_type: z.string().min(1).max(32),
  context_external_tool_id: optionalNullable(canvasId),
  url: optionalNullable(text),
  workflow_state: optionalNullable(z.string().max(32)),
  // Sent by current Canvas (not in the docs); absent in older versions.
  title: optionalNullable(text),
});

type TitleSources = Pick<ResourceLink, 'liveTitle' | 'liveTitleVersion' | 'launchTitle' | 'launchTitleVersion'>;

/**
 * The title a link shows: its live events' or its launches', whichever was set by the
 * newer version (each source's own clock). A launch title without a version (kept from
 * before live titles were stored) counts as older than any live one.
 */
function titleOf(sources: TitleSources): string | null {
  const { liveTitleVersion, launchTitleVersion } = sources;
  return liveTitleVersion && isNewer(liveTitleVersion, launchTitleVersion) ? sources.liveTitle : sources.launchTitle;
}

export const resourceLinkProjector: Projector<z.output<typeof body>> = {
  eventNames: ['lti_resource_link_created', 'lti_resource_link_updated'],
  body,
  rowsOf: (event) => [
    [ResourceLink, globalId(event, event.body.resource_link_id)],
    ...(event.body.context_type === 'Course' ? [[Course, globalId(event, event.body.context_id)] as const] : []),
  ],
  async project(event, store) {
    const b = event.body;
    const id = globalId(event, b.resource_link_id);
    const contextId = globalId(event, b.context_id);
    const current = await store.read(ResourceLink, { id });
    const version = stateVersion(event);
    const changes: Partial<ResourceLink> = {
      updatedAt: later(current?.updatedAt, activityTime(event)),
      createdAt:
        event.name === 'lti_resource_link_created'
          ? earlier(current?.createdAt, activityTime(event))
          : (current?.createdAt ?? null),
    };
    if (isNewer(version, current?.stateVersion)) {
      // The newest event's body is the state: a field it leaves out is null. (write
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
    // The title has a version of its own: an event without it (older Canvas) never erases
    // it, and a launch may have set it more recently than any live event.
    if (b.title !== undefined && isNewer(version, current?.liveTitleVersion)) {
      Object.assign(changes, { liveTitle: b.title, liveTitleVersion: version });
    }
    changes.title = titleOf({ ...titleSourcesOf(current), ...changes });
    await store.write(ResourceLink, current, { id }, changes);
    if (b.context_type === 'Course') await recordCourse(store, contextId, event);
  },
};

/**
 * The live-event resource link an LTI resource_link_id names (by its uuid, or by its id
 * when it is one), lowest id first; `launchOnlyId` (the link launches alone made) is not one.
 */
export async function resourceLinkNamedBy(
  store: ProjectionStore,
  ltiId: string,
  launchOnlyId: string,
): Promise<ResourceLink | null> {
  const qb = store.query(ResourceLink, 'l').where('l.id <> :own', { own: BigInt(launchOnlyId) });
  if (idProblem(ltiId) === null) qb.andWhere('(l.uuid = :lti OR l.id = :id)', { lti: ltiId, id: BigInt(ltiId) });
  else qb.andWhere('l.uuid = :lti', { lti: ltiId });
  return qb.orderBy('l.id', 'ASC').getOne();
}

function titleSourcesOf(row: TitleSources | null): TitleSources {
  return {
    liveTitle: row?.liveTitle ?? null,
    liveTitleVersion: row?.liveTitleVersion ?? null,
    launchTitle: row?.launchTitle ?? null,
    launchTitleVersion: row?.launchTitleVersion ?? null,
  };
}

/** What the launches applied to a link say of it (merged by the LTI domain). */
export interface LinkLaunches {
  title: string | null;
  /** Version of the newest launch that carried the title; null when none did. */
  titleVersion: string | null;
  description: string | null;
}

/** The columns `launches` sets on `current` (the title: the newer of the launches' and the live events'). */
function launchChanges(current: ResourceLink | null, launches: LinkLaunches): Partial<ResourceLink> {
  const sources = {
    ...titleSourcesOf(current),
    launchTitle: launches.title,
    launchTitleVersion: launches.titleVersion,
  };
  return { ...sources, title: titleOf(sources), description: launches.description };
}

/** Records what launches say of a link a live event created (nothing while no live event has). */
export async function recordLinkLaunches(store: ProjectionStore, id: string, launches: LinkLaunches): Promise<void> {
  const own = store.actingFor(RESOURCE_LINKS_DOMAIN);
  const current = await own.read(ResourceLink, { id });
  if (current) await own.write(ResourceLink, current, { id }, launchChanges(current, launches));
}

/**
 * Records a link only launches know: it exists, in course `placement.courseId` with the
 * launches' resource_link_id as its uuid, exactly while launches place it (null: deleted).
 */
export async function recordLaunchOnlyLink(
  store: ProjectionStore,
  id: string,
  launches: LinkLaunches,
  placement: { uuid: string; courseId: string } | null,
): Promise<void> {
  const own = store.actingFor(RESOURCE_LINKS_DOMAIN);
  const current = await own.read(ResourceLink, { id });
  if (!placement) {
    if (current) await own.delete(ResourceLink, { id });
    return;
  }
  await own.write(
    ResourceLink,
    current,
    { id },
    {
      ...launchChanges(current, launches),
      uuid: placement.uuid.slice(0, 255),
      contextId: placement.courseId,
      contextType: 'Course',
    },
  );
}
