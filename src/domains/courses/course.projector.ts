// Every event whose context is a course creates or refreshes that course: when it was
// first seen and last active, and the account / SIS id Canvas reports for it. Other
// domains record what they know of a course through the operations exported here
// (index.ts): the courses table is written by this domain only.
import { earlier, later } from '../../canvas/time';
import {
  activityTime,
  ContextProjector,
  globalId,
  isNewer,
  ProjectedEvent,
  stateVersion,
} from '../../projection/projector';
import type { ProjectionStore } from '../../projection/store';
import { Course } from './course.entity';

export const COURSES_DOMAIN = 'courses';

export interface CourseFacts {
  accountId?: string | null;
  sisSourceId?: string | null;
}

const FACT_VERSIONS = [
  ['accountId', 'accountIdVersion'],
  ['sisSourceId', 'sisSourceIdVersion'],
] as const;

/** Records what a live event knows of a course: creates it if unknown, widens its activity window, applies newer facts. */
export async function recordCourse(
  store: ProjectionStore,
  courseId: string,
  event: ProjectedEvent<unknown>,
  facts: CourseFacts = {},
): Promise<void> {
  const own = store.actingFor(COURSES_DOMAIN);
  const current = await own.read(Course, { id: courseId });
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
  await own.write(Course, current, { id: courseId }, changes);
}

/** What the LTI launches applied to a course say of it (merged by the LTI domain), and when they happened. */
export interface CourseLaunches {
  title: string | null;
  courseCode: string | null;
  ltiContextId: string | null;
  firstLaunchedAt: Date | null;
  lastLaunchedAt: Date | null;
}

/**
 * Records what launches say of a course: its title, code and LTI context id are theirs;
 * a launch is activity in the course, so it widens the window (and never narrows it).
 * Nothing is created when no launch is applied to a course that does not exist.
 */
export async function recordCourseLaunches(store: ProjectionStore, id: string, launches: CourseLaunches) {
  const own = store.actingFor(COURSES_DOMAIN);
  const current = await own.read(Course, { id });
  if (!current && !launches.firstLaunchedAt) return;
  await own.write(
    Course,
    current,
    { id },
    {
      title: launches.title,
      courseCode: launches.courseCode,
      ltiContextId: launches.ltiContextId,
      firstSeenAt: earlier(current?.firstSeenAt, launches.firstLaunchedAt)!,
      lastActivityAt: later(current?.lastActivityAt, launches.lastLaunchedAt)!,
    },
  );
}

export const courseContextProjector: ContextProjector = {
  rowsOf(event) {
    const { context_type, context_id } = event.metadata;
    return context_type === 'Course' && context_id ? [[Course, globalId(event, context_id)]] : [];
  },
  async project(event, store) {
    const { context_type, context_id, context_account_id, context_sis_source_id } = event.metadata;
    if (context_type !== 'Course' || !context_id) return;
    await recordCourse(store, globalId(event, context_id), event, {
      accountId: globalId(event, context_account_id),
      sisSourceId: context_sis_source_id,
    });
  },
};
