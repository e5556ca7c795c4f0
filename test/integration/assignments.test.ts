// The assignments family (src/domains/assignments): each field is the value of the newest
// event (by body.updated_at, else event_time) that carried it — an absent field never
// erases, an explicit null does — whatever order the events arrive in; an assignment
// named only by submissions exists with its id and course.
import { Assignment } from '../../src/domains/assignments/assignment.entity';
import {
  CanvasEvent,
  fixture,
  freshLocalId,
  globalIdOf,
  permutations,
  submissionEvent,
  withBody,
  withMetadata,
} from '../support/builders';
import { describeEachDatabase } from '../support/databases';
import { appendEvents, row, rowOrFail } from '../support/ingest-app';

const T0 = Date.parse('2024-05-01T10:00:00.000Z');
const at = (minutes: number) => new Date(T0 + minutes * 60_000).toISOString();

/** An assignment event about `id` in course `courseId`, its clock `minutes` after T0, with `body` replacing fields. */
function assignmentEvent(
  id: string,
  courseId: string,
  minutes: number,
  body: Record<string, unknown>,
  name: 'assignment_created' | 'assignment_updated' = 'assignment_updated',
): CanvasEvent {
  const event = withBody(fixture(name), { assignment_id: id, context_id: courseId, updated_at: at(minutes), ...body });
  return withMetadata(event, { event_time: at(minutes), context_id: courseId });
}

describeEachDatabase('assignments', (db) => {
  it('keeps the newest value of each field: absent never erases, explicit null does, in every arrival order', async () => {
    const courseId = globalIdOf(freshLocalId());
    const ids: string[] = [];
    const events = (id: string) => [
      assignmentEvent(id, courseId, 0, { title: 'Essay', points_possible: 10, due_at: at(100) }, 'assignment_created'),
      // Newer, without title or points: they stay; due_at cleared explicitly.
      assignmentEvent(id, courseId, 5, { title: undefined, points_possible: undefined, due_at: null }),
      // Newest, renames it; leaves points and due_at out.
      assignmentEvent(id, courseId, 9, {
        title: 'Essay (final)',
        points_possible: undefined,
        due_at: undefined,
        workflow_state: 'published',
      }),
    ];
    for (const order of permutations([0, 1, 2])) {
      const id = globalIdOf(freshLocalId());
      ids.push(id);
      const all = events(id);
      await appendEvents(
        db(),
        order.map((i) => all[i]),
      );
    }
    for (const id of ids) {
      expect(await rowOrFail(db(), Assignment, { id })).toMatchObject({
        courseId,
        title: 'Essay (final)',
        pointsPossible: 10,
        dueAt: null,
        workflowState: 'published',
        firstSeenAt: new Date(at(0)),
        stateVersion: expect.stringContaining(new Date(at(9)).toISOString()),
      });
    }
  });

  it('creates an assignment a submission names, in its course; its own events set the course from then on', async () => {
    const courseId = globalIdOf(freshLocalId());
    const otherCourse = globalIdOf(freshLocalId());
    for (const order of permutations([0, 1, 2])) {
      const id = globalIdOf(freshLocalId());
      const events = [
        submissionEvent({
          eventTime: at(1),
          body: { assignment_id: id },
          metadata: { context_type: 'Course', context_id: otherCourse },
        }),
        assignmentEvent(id, courseId, 3, { title: 'Quiz' }),
        submissionEvent({
          eventTime: at(2),
          body: { assignment_id: id },
          metadata: { context_type: 'Course', context_id: otherCourse },
        }),
      ];
      await appendEvents(
        db(),
        order.map((i) => events[i]),
      );
      expect(await rowOrFail(db(), Assignment, { id })).toMatchObject({
        courseId,
        title: 'Quiz',
        firstSeenAt: new Date(at(1)),
      });
    }

    const onlySubmitted = globalIdOf(freshLocalId());
    await appendEvents(db(), [
      submissionEvent({ eventTime: at(7), body: { assignment_id: onlySubmitted }, metadata: { context_id: courseId } }),
    ]);
    expect(await rowOrFail(db(), Assignment, { id: onlySubmitted })).toMatchObject({
      courseId,
      title: null,
      stateVersion: null,
      firstSeenAt: new Date(at(7)),
    });
  });

  it('keeps an assignment event with a malformed field as INVALID, naming the field, and projects nothing', async () => {
    const id = globalIdOf(freshLocalId());
    const [outcome] = await appendEvents(db(), [
      assignmentEvent(id, globalIdOf(freshLocalId()), 0, { due_at: 'next tuesday' }),
    ]);
    expect(outcome).toMatchObject({ status: 'invalid', reason: expect.stringContaining('body.due_at') });
    expect(await row(db(), Assignment, { id })).toBeNull();
  });
});
