// Every event whose context is a course creates or refreshes that course: when it was
// first seen and last active, and the account / SIS id Canvas reports for it.
import { EntityManager } from 'typeorm';
import { findForUpdate, writeRow } from '../../projection/rows';
import { earlier, later } from '../../canvas/time';
import {
  activityTime,
  ContextProjector,
  globalId,
  isNewer,
  ProjectedEvent,
  stateVersion,
} from '../../projection/projector';
import { Course } from './course.entity';

export interface CourseFacts {
  accountId?: string | null;
  sisSourceId?: string | null;
}

const FACT_VERSIONS = [
  ['accountId', 'accountIdVersion'],
  ['sisSourceId', 'sisSourceIdVersion'],
] as const;

/** Creates the course if unknown, widens its activity window, and applies newer facts. */
export async function touchCourse(
  tx: EntityManager,
  courseId: string,
  event: ProjectedEvent<unknown>,
  facts: CourseFacts = {},
): Promise<void> {
  const current = await findForUpdate(tx, Course, { id: courseId });
  const version = stateVersion(event);
  const activeAt = activityTime(event);
  const changes: Partial<Course> = {
    firstSeenAt: earlier(current?.firstSeenAt, activeAt)!,
    lastActivityAt: later(current?.lastActivityAt, activeAt)!,
  };
  // Each fact is the value of the newest event that carried it (absent facts never
  // erase; an explicit null does). One version per fact, not one for all: otherwise an
  // older event filling a gap, or a newer one clearing a fact, depends on arrival order.
  for (const [field, versionField] of FACT_VERSIONS) {
    const value = facts[field];
    if (value === undefined || !isNewer(version, current?.[versionField])) continue;
    changes[field] = value;
    changes[versionField] = version;
    if (isNewer(version, current?.metadataVersion)) changes.metadataVersion = version;
  }
  await writeRow(tx, Course, current, { id: courseId }, changes);
}

export const courseContextProjector: ContextProjector = {
  rowsOf(event) {
    const { context_type, context_id } = event.metadata;
    return context_type === 'Course' && context_id ? [[Course, globalId(event, context_id)]] : [];
  },
  async project(event, tx) {
    const { context_type, context_id, context_account_id, context_sis_source_id } = event.metadata;
    if (context_type !== 'Course' || !context_id) return;
    await touchCourse(tx, globalId(event, context_id), event, {
      accountId: globalId(event, context_account_id),
      sisSourceId: context_sis_source_id,
    });
  },
};
