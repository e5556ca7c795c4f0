// A clock far ahead of arrival (an event dated 9999) used to become the submission's
// state for good and set its course's lastActivityAt to 9999-12-31. Now a clock more than
// CLOCK_SKEW_SECONDS (a day by default) ahead of the event's received_at is kept — in
// the log and in history — but never wins latest state nor moves activity times, in
// either arrival order, and replay (which reads received_at from the log) agrees.
import { buildProjectorRegistry, projectionEntities } from '../../src/modules';
import type { ProjectionSettings } from '../../src/projection/domain-module';
import { EventLog, IncomingItem } from '../../src/ingest/event-log';
import { toEnvelopedEvent } from '../../src/ingest/envelope';
import { parseLossless } from '../../src/canvas/lossless-json';
import { Replayer } from '../../src/ingest/replay';
import { Submission } from '../../src/domains/submissions/submission.entity';
import { SubmissionVersion } from '../../src/domains/submissions/submission-version.entity';
import { Course } from '../../src/domains/courses/course.entity';
import { User } from '../../src/domains/users/user.entity';
import { loadConfig } from '../../src/config';
import {
  CanvasEvent,
  courseContext,
  freshLocalId,
  globalIdOf,
  submissionEvent,
  withMetadata,
} from '../support/builders';
import { describeEachDatabase, TestDatabase } from '../support/databases';
import { rowOrFail } from '../support/ingest-app';
import { snapshotProjections } from '../support/projections';

const FAR_FUTURE = '9999-12-31T23:59:59.000Z';
const RECEIVED = new Date('2026-01-10T12:00:00.000Z');
const BELIEVABLE = '2026-01-10T11:00:00.000Z';

interface Scene {
  submissionId: string;
  courseId: string;
  userId: string;
  believable: CanvasEvent;
  ahead: CanvasEvent;
}

function scene(aheadTime = FAR_FUTURE): Scene {
  const submissionId = globalIdOf(freshLocalId());
  const courseId = globalIdOf(freshLocalId());
  const userId = globalIdOf(freshLocalId());
  const make = (time: string, grade: string, login: string) =>
    withMetadata(submissionEvent({ submissionId, eventTime: time, updatedAt: time, body: { grade } }), {
      ...courseContext(courseId),
      user_id: userId,
      user_login: login,
    });
  return {
    submissionId,
    courseId,
    userId,
    believable: make(BELIEVABLE, 'B', 'believable-login'),
    ahead: make(aheadTime, 'F', 'future-login'),
  };
}

async function deliver(db: TestDatabase, events: CanvasEvent[], settings: ProjectionSettings = {}) {
  const log = new EventLog(db.dataSource, buildProjectorRegistry(undefined, settings));
  for (const event of events) {
    const text = JSON.stringify(event);
    const item: IncomingItem = { kind: 'event', event: toEnvelopedEvent(parseLossless(text), text) };
    const [outcome] = await log.append([item], { route: 'test', contentType: 'application/json' }, RECEIVED);
    expect(outcome.status).toBe('stored');
  }
}

describeEachDatabase('clocks far ahead of arrival', (db) => {
  it.each([
    ['believable first', false],
    ['far-future first', true],
  ])(
    '%s: the believable event is the state; activity times stay believable; history keeps both',
    async (_, aheadFirst) => {
      const s = scene();
      await deliver(db(), aheadFirst ? [s.ahead, s.believable] : [s.believable, s.ahead]);
      const submission = await rowOrFail(db(), Submission, { id: s.submissionId });
      expect(submission.grade).toBe('B');
      expect(submission.updatedAt?.toISOString()).toBe(BELIEVABLE);
      const history = await db().dataSource.getRepository(SubmissionVersion).findBy({ submissionId: s.submissionId });
      expect(history.map((h) => h.grade).sort()).toEqual(['B', 'F']);
      const course = await rowOrFail(db(), Course, { id: s.courseId });
      // The far-future event counts as activity when it arrived, not in 9999.
      expect(course.lastActivityAt.toISOString()).toBe(RECEIVED.toISOString());
      expect(course.firstSeenAt.toISOString()).toBe(BELIEVABLE);
      const user = await rowOrFail(db(), User, { id: s.userId });
      expect(user.login).toBe('believable-login');
      expect(user.lastSeenAt.toISOString()).toBe(RECEIVED.toISOString());
    },
  );

  it('alone, a far-future event is kept in history but gives the submission no state', async () => {
    const s = scene();
    await deliver(db(), [s.ahead]);
    const submission = await rowOrFail(db(), Submission, { id: s.submissionId });
    expect(submission.grade).toBeNull();
    expect(submission.courseId).toBe(s.courseId);
    expect(await db().dataSource.getRepository(SubmissionVersion).countBy({ submissionId: s.submissionId })).toBe(1);
    expect((await rowOrFail(db(), Course, { id: s.courseId })).lastActivityAt.toISOString()).toBe(
      RECEIVED.toISOString(),
    );
  });

  it('replay, however much later, decides as ingest did (received_at comes from the log)', async () => {
    const s = scene();
    await deliver(db(), [s.believable, s.ahead]);
    const before = await snapshotProjections(db().dataSource);
    await new Replayer(db().dataSource, buildProjectorRegistry(), projectionEntities).run();
    expect(await snapshotProjections(db().dataSource)).toEqual(before);
  });

  it('CLOCK_SKEW_SECONDS sets the limit: two hours ahead wins by default, not with 3600', async () => {
    const twoHoursAhead = new Date(RECEIVED.getTime() + 2 * 3600_000).toISOString();
    const byDefault = scene(twoHoursAhead);
    await deliver(db(), [byDefault.believable, byDefault.ahead]);
    expect((await rowOrFail(db(), Submission, { id: byDefault.submissionId })).grade).toBe('F');
    const strict = scene(twoHoursAhead);
    const clockSkewSeconds = loadConfig({ CLOCK_SKEW_SECONDS: '3600' }).CLOCK_SKEW_SECONDS;
    await deliver(db(), [strict.believable, strict.ahead], { clockSkewSeconds });
    expect((await rowOrFail(db(), Submission, { id: strict.submissionId })).grade).toBe('B');
  });
});

describe('CLOCK_SKEW_SECONDS', () => {
  it('defaults to a day and refuses what is not a number of seconds', () => {
    expect(loadConfig({}).CLOCK_SKEW_SECONDS).toBe(86_400);
    expect(() => loadConfig({ CLOCK_SKEW_SECONDS: 'soon' })).toThrow(/CLOCK_SKEW_SECONDS/);
  });
});
