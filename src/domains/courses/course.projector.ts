// Every event whose context is a course creates or refreshes that course: when it was
// first seen and last active, and the account / SIS id Canvas reports for it.
import { EntityManager } from 'typeorm';
import { findForUpdate, writeRow } from '../../db/rows';
import { earlier, later } from '../../ingest/time';
import { ContextProjector, globalId, isNewer, ProjectedEvent, stateVersion } from '../../ingest/projector';
import { Course } from './course.entity';

export interface CourseFacts {
  accountId?: string | null;
  sisSourceId?: string | null;
}

/** Creates the course if unknown, widens its activity window, and applies newer facts. */
export async function touchCourse(
  tx: EntityManager,
  courseId: string,
  event: ProjectedEvent<unknown>,
  facts: CourseFacts = {},
): Promise<void> {
  const current = await findForUpdate(tx, Course, { id: courseId });
  const version = stateVersion(event);
  const hasFacts = facts.accountId !== undefined || facts.sisSourceId !== undefined;
  const newer = hasFacts && isNewer(version, current?.metadataVersion);
  const changes: Partial<Course> = {
    firstSeenAt: earlier(current?.firstSeenAt, event.time)!,
    lastActivityAt: later(current?.lastActivityAt, event.time)!,
  };
  // Absent facts never erase; a newer event's facts win; an older one only fills gaps.
  for (const field of ['accountId', 'sisSourceId'] as const) {
    const value = facts[field];
    if (value !== undefined && (newer || current?.[field] == null)) changes[field] = value;
  }
  if (newer) changes.metadataVersion = version;
  await writeRow(tx, Course, current, { id: courseId }, changes);
}

export const courseContextProjector: ContextProjector = {
  async project(event, tx) {
    const { context_type, context_id, context_account_id, context_sis_source_id } = event.metadata;
    if (context_type !== 'Course' || !context_id) return;
    await touchCourse(tx, globalId(event, context_id), event, {
      accountId: globalId(event, context_account_id),
      sisSourceId: context_sis_source_id,
    });
  },
};
