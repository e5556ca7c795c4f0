// The enrollments family (src/domains/enrollments): each field is the value of the newest
// event (by body.updated_at, else event_time) that carried it — an absent field never
// erases, an explicit null does — whatever order the events arrive in; the enrollment's
// course and user exist from its first event on; a bad body is kept INVALID, naming the field.
import { Course } from '../../src/domains/courses/course.entity';
import { Enrollment } from '../../src/domains/enrollments/enrollment.entity';
import { User } from '../../src/domains/users/user.entity';
import {
  CanvasEvent,
  fixture,
  freshLocalId,
  globalIdOf,
  permutations,
  withBody,
  withMetadata,
} from '../support/builders';
import { describeEachDatabase } from '../support/databases';
import { appendEvents, row, rowOrFail } from '../support/ingest-app';

const T0 = Date.parse('2024-05-01T10:00:00.000Z');
const at = (minutes: number) => new Date(T0 + minutes * 60_000).toISOString();

interface Ids {
  id: string;
  courseId: string;
  userId: string;
}

const freshIds = (): Ids => ({
  id: globalIdOf(freshLocalId()),
  courseId: globalIdOf(freshLocalId()),
  userId: globalIdOf(freshLocalId()),
});

/** An enrollment event about `ids`, its clock `minutes` after T0, with `body` replacing fields (undefined removes). */
function enrollmentEvent(
  ids: Ids,
  minutes: number,
  body: Record<string, unknown>,
  name: 'enrollment_created' | 'enrollment_updated' = 'enrollment_updated',
  eventMinutes = minutes,
): CanvasEvent {
  const event = withBody(fixture(name), {
    enrollment_id: ids.id,
    course_id: ids.courseId,
    user_id: ids.userId,
    updated_at: at(minutes),
    ...body,
  });
  return withMetadata(event, { event_time: at(eventMinutes) });
}

describeEachDatabase('enrollments', (db) => {
  it('keeps the newest value of each field: absent never erases, explicit null does, in every arrival order', async () => {
    const section = globalIdOf(freshLocalId());
    const events = (ids: Ids) => [
      enrollmentEvent(
        ids,
        0,
        { workflow_state: 'invited', course_section_id: section, user_name: 'Ada', created_at: at(0) },
        'enrollment_created',
      ),
      // Newer: accepted; leaves the name and the section out, so they stay.
      enrollmentEvent(ids, 5, {
        workflow_state: 'active',
        user_name: undefined,
        course_section_id: undefined,
        created_at: undefined,
      }),
      // Newest: clears the section explicitly, carries a role; leaves the state out.
      enrollmentEvent(ids, 9, {
        workflow_state: undefined,
        course_section_id: null,
        role: 'Peer Reviewer',
        role_id: '21070000000000017',
        created_at: undefined,
        user_name: undefined,
      }),
    ];
    const all: Ids[] = [];
    for (const order of permutations([0, 1, 2])) {
      const ids = freshIds();
      all.push(ids);
      const list = events(ids);
      await appendEvents(
        db(),
        order.map((i) => list[i]),
      );
    }
    for (const ids of all) {
      expect(await rowOrFail(db(), Enrollment, { id: ids.id })).toEqual({
        id: ids.id,
        courseId: ids.courseId,
        userId: ids.userId,
        courseSectionId: null,
        type: 'StudentEnrollment',
        role: 'Peer Reviewer',
        roleId: '21070000000000017',
        workflowState: 'active',
        userName: 'Ada',
        createdAt: new Date(at(0)),
        updatedAt: new Date(at(9)),
        stateVersion: expect.stringContaining(`${new Date(at(9)).toISOString()}|`),
        fieldVersions: expect.any(String),
        changedSeq: expect.any(String), // the log sequence of the last change: arrival order
      });
    }
  });

  it('takes createdAt from body.created_at, else from the time of enrollment_created, whichever arrives first', async () => {
    for (const order of permutations([0, 1])) {
      const ids = freshIds();
      const events = [
        // Canvas's payload always has created_at; one without falls back to the creation event's time.
        enrollmentEvent(ids, 1, { created_at: undefined }, 'enrollment_created', 2),
        enrollmentEvent(ids, 4, { created_at: undefined }),
      ];
      await appendEvents(
        db(),
        order.map((i) => events[i]),
      );
      expect(await rowOrFail(db(), Enrollment, { id: ids.id })).toMatchObject({
        createdAt: new Date(at(2)),
        updatedAt: new Date(at(4)),
      });
    }
  });

  it('without body.updated_at the event time is the clock: the later event wins', async () => {
    for (const order of permutations([0, 1])) {
      const ids = freshIds();
      const events = [
        enrollmentEvent(ids, 0, { updated_at: undefined, workflow_state: 'invited' }, 'enrollment_created', 3),
        enrollmentEvent(ids, 0, { updated_at: undefined, workflow_state: 'deleted' }, 'enrollment_updated', 7),
      ];
      await appendEvents(
        db(),
        order.map((i) => events[i]),
      );
      expect(await rowOrFail(db(), Enrollment, { id: ids.id })).toMatchObject({
        workflowState: 'deleted',
        updatedAt: new Date(at(7)),
      });
    }
  });

  it('creates the course and the user, widening the course activity and the user lastSeenAt in any order', async () => {
    for (const order of permutations([0, 1])) {
      const ids = freshIds();
      const events = [enrollmentEvent(ids, 1, {}, 'enrollment_created'), enrollmentEvent(ids, 6, {})];
      await appendEvents(
        db(),
        order.map((i) => events[i]),
      );
      expect(await rowOrFail(db(), Course, { id: ids.courseId })).toMatchObject({
        firstSeenAt: new Date(at(1)),
        lastActivityAt: new Date(at(6)),
      });
      expect(await rowOrFail(db(), User, { id: ids.userId })).toMatchObject({
        lastSeenAt: new Date(at(6)),
        name: null,
      });
    }
  });

  it('widens local body ids with the shard of the root account', async () => {
    const local = { id: freshLocalId(), courseId: freshLocalId(), userId: freshLocalId() };
    await appendEvents(db(), [enrollmentEvent(local, 0, { course_section_id: '4811' })]);
    expect(await rowOrFail(db(), Enrollment, { id: globalIdOf(local.id) })).toMatchObject({
      courseId: globalIdOf(local.courseId),
      userId: globalIdOf(local.userId),
      courseSectionId: globalIdOf('4811'),
    });
  });

  it.each([
    ['body.course_id', { course_id: undefined }],
    ['body.user_id', { user_id: 'nobody' }],
    ['body.updated_at', { updated_at: 'yesterday' }],
    ['body.type', { type: 'x'.repeat(65) }],
  ])('keeps an event with a bad %s as INVALID, naming the field, and projects nothing', async (field, patch) => {
    const ids = freshIds();
    const [outcome] = await appendEvents(db(), [enrollmentEvent(ids, 0, patch)]);
    expect(outcome).toMatchObject({ status: 'invalid', reason: expect.stringContaining(field) });
    expect(await row(db(), Enrollment, { id: ids.id })).toBeNull();
    expect(await row(db(), User, { id: ids.userId })).toBeNull();
  });
});
