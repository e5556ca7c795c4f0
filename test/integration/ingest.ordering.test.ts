// Delivery is at-least-once and unordered: duplicates are stored once, the latest state
// by the event's own clock wins whatever the arrival order, late events still enter
// history, children arriving first create their parents, and absent metadata erases
// nothing.
import type { Express } from 'express';
import { Course } from '../../src/domains/courses/course.entity';
import { Conversation } from '../../src/domains/conversations/conversation.entity';
import { ConversationMessage } from '../../src/domains/conversations/conversation-message.entity';
import { ConversationParticipant } from '../../src/domains/conversations/conversation-participant.entity';
import { Submission } from '../../src/domains/submissions/submission.entity';
import { SubmissionComment } from '../../src/domains/submissions/submission-comment.entity';
import { SubmissionVersion } from '../../src/domains/submissions/submission-version.entity';
import { EventRecord } from '../../src/log/event.entity';
import { describeEachDatabase } from '../support/databases';
import {
  commentEvent,
  conversationEvent,
  courseContext,
  fixture,
  freshLocalId,
  globalIdOf,
  isoWithOffset,
  messageEvent,
  ndjson,
  permutations,
  plusMs,
  rootAccountOf,
  submissionEvent,
  withBody,
  withMetadata,
} from '../support/builders';
import { appendEvents, ingestApp, postEvents, rowOrFail, storedEvent } from '../support/ingest-app';
import { clearEverything, snapshotProjections } from '../support/projections';

const T0 = '2021-05-04T10:00:00.000Z';

describeEachDatabase('duplicate deliveries', (db) => {
  let app: Express;
  beforeAll(async () => {
    app = await ingestApp(db());
  });

  const countEvents = (contentHash: string) => db().dataSource.getRepository(EventRecord).countBy({ contentHash });

  it('stores an event delivered twice once, and answers the second delivery as a duplicate of the first', async () => {
    const event = submissionEvent();
    const first = await postEvents(app, event);
    const second = await postEvents(app, event);
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ status: 'stored', name: 'submission_updated' });
    expect(second.status).toBe(200);
    expect(second.body).toMatchObject({ status: 'duplicate', id: first.body.id });
    const stored = await storedEvent(db(), first.body.id);
    expect(await countEvents(stored.contentHash)).toBe(1);
    expect(
      await db()
        .dataSource.getRepository(SubmissionVersion)
        .countBy({ submissionId: String(event.body.submission_id) }),
    ).toBe(1);
  });

  it('takes the same event with its keys reordered and other whitespace as a duplicate', async () => {
    const event = submissionEvent();
    const reordered = { body: Object.fromEntries(Object.entries(event.body).reverse()), metadata: event.metadata };
    const first = await postEvents(app, JSON.stringify(event));
    const second = await postEvents(app, JSON.stringify(reordered, null, 4));
    expect(second.body).toMatchObject({ status: 'duplicate', id: first.body.id });
  });

  it('stores an event repeated within one batch once', async () => {
    const event = submissionEvent();
    const res = await postEvents(app, [event, event]);
    expect(res.status).toBe(200);
    expect(res.body.errors).toBe(false);
    const [a, b] = res.body.items;
    expect(a).toMatchObject({ index: 0, status: 'stored' });
    expect(b).toMatchObject({ index: 1, status: 'duplicate', id: a.id });
    expect(await countEvents((await storedEvent(db(), a.id)).contentHash)).toBe(1);
  });

  it('recognises events of an earlier batch in a later one', async () => {
    const [a, b, c] = [submissionEvent(), submissionEvent(), submissionEvent()];
    const first = await postEvents(app, ndjson([a, b]), 'application/x-ndjson');
    const second = await postEvents(app, ndjson([b, c]), 'application/x-ndjson');
    expect(first.body.items.map((i: { status: string }) => i.status)).toEqual(['stored', 'stored']);
    expect(second.body.items).toEqual([
      { index: 0, status: 'duplicate', id: first.body.items[1].id, name: 'submission_updated' },
      { index: 1, status: 'stored', id: expect.any(String), name: 'submission_updated' },
    ]);
  });

  it('stores two events that differ in one field as two events', async () => {
    const event = submissionEvent();
    const first = await postEvents(app, event);
    const second = await postEvents(app, withBody(event, { grade: `${String(event.body.grade)}+` }));
    expect(second.body.status).toBe('stored');
    expect(second.body.id).not.toBe(first.body.id);
  });
});

describeEachDatabase('ids and times as Canvas sends them', (db) => {
  it('keeps ids above 2^53, up to the largest 64-bit id, exact in every projection column', async () => {
    const ids = { submission: '9223372036854775807', assignment: '9007199254740993', user: '21070000000014013' };
    const event = submissionEvent({
      submissionId: ids.submission,
      body: { assignment_id: ids.assignment, user_id: ids.user },
    });
    await appendEvents(db(), [event]);
    const submission = await rowOrFail(db(), Submission, { id: ids.submission });
    expect([submission.id, submission.assignmentId, submission.userId]).toEqual([
      ids.submission,
      ids.assignment,
      ids.user,
    ]);
  });

  it('widens local body ids with the shard of metadata.root_account_id, whichever shard that is', async () => {
    const shard = 35n;
    const [submissionLocal, commentLocal, authorLocal] = [freshLocalId(), freshLocalId(), freshLocalId()];
    const event = commentEvent({
      submissionId: submissionLocal,
      commentId: commentLocal,
      authorLocalId: authorLocal,
      body: { attachment_ids: ['1', globalIdOf(2, shard)] },
      metadata: { root_account_id: rootAccountOf(shard), ...courseContext('565') },
    });
    await appendEvents(db(), [event]);
    const comment = await rowOrFail(db(), SubmissionComment, { id: globalIdOf(commentLocal, shard) });
    expect(comment).toMatchObject({
      submissionId: globalIdOf(submissionLocal, shard),
      authorId: globalIdOf(authorLocal, shard),
      attachmentIds: JSON.stringify([globalIdOf(1, shard), globalIdOf(2, shard)]),
    });
    // The course named by a local context id is widened too.
    expect(await rowOrFail(db(), Course, { id: globalIdOf(565, shard) })).toBeTruthy();
  });

  it('stores every spelling of one instant (-06:00, Z, +05:30, no millis) as that instant in UTC', async () => {
    const instant = '2020-03-30T17:18:51.000Z';
    const spellings = [
      isoWithOffset(instant, -360, { millis: false }),
      isoWithOffset(instant, 0),
      isoWithOffset(instant, 330),
      isoWithOffset(instant, -210, { millis: false }),
    ];
    expect(new Set(spellings).size).toBe(spellings.length);
    for (const spelling of spellings) {
      const id = globalIdOf(freshLocalId());
      const [outcome] = await appendEvents(db(), [
        submissionEvent({ submissionId: id, updatedAt: spelling, eventTime: spelling, body: { graded_at: spelling } }),
      ]);
      const submission = await rowOrFail(db(), Submission, { id });
      expect([submission.updatedAt, submission.gradedAt]).toEqual([new Date(instant), new Date(instant)]);
      expect((await storedEvent(db(), outcome.id)).time).toEqual(new Date(instant));
    }
  });

  it('compares clocks as instants, not as strings, when deciding which state is newer', async () => {
    const id = globalIdOf(freshLocalId());
    // "…T11:30:00-06:00" sorts before "…T12:00:00Z" as text but is 5½ hours later.
    const later = submissionEvent({
      submissionId: id,
      updatedAt: '2020-03-30T11:30:00-06:00',
      body: { grade: 'later' },
    });
    const earlier = submissionEvent({
      submissionId: id,
      updatedAt: '2020-03-30T12:00:00Z',
      body: { grade: 'earlier' },
    });
    await appendEvents(db(), [later, earlier]);
    expect((await rowOrFail(db(), Submission, { id })).grade).toBe('later');
  });
});

describeEachDatabase('arrival order', (db) => {
  it('ends in the same projections for every one of the 120 orders of a small corpus', async () => {
    const root = rootAccountOf(2107n);
    const courseId = globalIdOf(565);
    const submissionLocal = freshLocalId();
    const conversationLocal = freshLocalId();
    const corpus = [
      submissionEvent({
        name: 'submission_created',
        submissionId: globalIdOf(submissionLocal),
        updatedAt: isoWithOffset(T0, -360),
        eventTime: T0,
        body: { grade: null, workflow_state: 'submitted' },
      }),
      submissionEvent({
        submissionId: globalIdOf(submissionLocal),
        updatedAt: isoWithOffset(plusMs(T0, 60_000), 120, { millis: false }),
        eventTime: plusMs(T0, 61_000),
        body: { grade: 'A', workflow_state: 'graded' },
        metadata: courseContext(courseId, { root_account_id: root, context_sis_source_id: 'SIS-1' }),
      }),
      commentEvent({ submissionId: submissionLocal, createdAt: plusMs(T0, 30_000), eventTime: plusMs(T0, 30_000) }),
      conversationEvent({
        conversationId: conversationLocal,
        updatedAt: plusMs(T0, 5_000),
        eventTime: plusMs(T0, 5_000),
      }),
      messageEvent({
        conversationId: conversationLocal,
        createdAt: isoWithOffset(plusMs(T0, 9_000), -360),
        eventTime: plusMs(T0, 9_000),
      }),
    ];
    const orders = permutations(corpus);
    expect(orders).toHaveLength(120);

    let reference: Awaited<ReturnType<typeof snapshotProjections>> | undefined;
    for (const [n, order] of orders.entries()) {
      await clearEverything(db().dataSource);
      const outcomes = await appendEvents(db(), order);
      expect(outcomes.map((o) => o.status)).toEqual(['stored', 'stored', 'stored', 'stored', 'stored']);
      const snapshot = await snapshotProjections(db().dataSource);
      if (!reference) {
        reference = snapshot;
        // The reference itself is right, so equality with it means something.
        expect(snapshot.submissions).toContainEqual(
          expect.objectContaining({ id: globalIdOf(submissionLocal), grade: 'A', courseId }),
        );
        const grades = snapshot.submission_versions.map((v) => (v as { grade: string | null }).grade);
        expect(grades).toHaveLength(2);
        expect(grades).toEqual(expect.arrayContaining([null, 'A']));
        expect(snapshot.submission_comments).toHaveLength(1);
        expect(snapshot.conversations[0]).toMatchObject({
          id: globalIdOf(conversationLocal),
          createdAt: new Date(plusMs(T0, 5_000)).toISOString(),
        });
        expect(snapshot.conversation_participants).toHaveLength(2);
        continue;
      }
      try {
        expect(snapshot).toEqual(reference);
      } catch (error) {
        throw new Error(
          `order #${n} (${order.map((e) => e.metadata.event_name).join(', ')}) differs:\n${String(error)}`,
        );
      }
    }
  });
});

describeEachDatabase('children before parents, late events and absent metadata', (db) => {
  it('creates the submission when its comment arrives first, and fills it in when the submission arrives', async () => {
    const local = freshLocalId();
    const comment = commentEvent({ submissionId: local });
    await appendEvents(db(), [comment]);
    const placeholder = await rowOrFail(db(), Submission, { id: globalIdOf(local) });
    expect(placeholder).toMatchObject({ courseId: comment.metadata.context_id, grade: null, stateVersion: null });

    const submission = submissionEvent({ name: 'submission_created', submissionId: globalIdOf(local) });
    await appendEvents(db(), [submission]);
    const full = await rowOrFail(db(), Submission, { id: globalIdOf(local) });
    expect(full).toMatchObject({
      grade: submission.body.grade,
      assignmentId: submission.body.assignment_id,
      // submission_created has no context: the course learnt from the comment stays.
      courseId: comment.metadata.context_id,
    });
    expect(
      (await rowOrFail(db(), SubmissionComment, { id: globalIdOf(String(comment.body.submission_comment_id)) }))
        .submissionId,
    ).toBe(full.id);
  });

  it('creates the conversation when a message arrives first, and completes it when conversation_created arrives', async () => {
    const conversationLocal = freshLocalId();
    const message = messageEvent({ conversationId: conversationLocal });
    await appendEvents(db(), [message]);
    const id = globalIdOf(conversationLocal);
    expect(await rowOrFail(db(), Conversation, { id })).toMatchObject({ startedById: null, createdAt: null });
    expect(
      await rowOrFail(db(), ConversationMessage, { id: globalIdOf(String(message.body.message_id)) }),
    ).toMatchObject({
      conversationId: id,
    });

    const created = conversationEvent({ conversationId: conversationLocal });
    await appendEvents(db(), [created]);
    expect(await rowOrFail(db(), Conversation, { id })).toMatchObject({
      startedById: created.metadata.user_id,
      createdAt: new Date(String(created.metadata.event_time)),
      updatedAt: new Date(String(created.body.updated_at)),
    });
    const participants = await db().dataSource.getRepository(ConversationParticipant).findBy({ conversationId: id });
    expect(participants.map((p) => p.userId).sort()).toEqual(
      [String(created.metadata.user_id), globalIdOf(String(message.body.author_id))].sort(),
    );
  });

  it('keeps the newer state when an older submission event arrives late, and still records the older one in history', async () => {
    const id = globalIdOf(freshLocalId());
    const newer = submissionEvent({
      submissionId: id,
      updatedAt: plusMs(T0, 3_600_000),
      body: { grade: 'A', score: 95 },
    });
    const older = submissionEvent({
      submissionId: id,
      updatedAt: T0,
      body: { grade: 'C', score: 70, url: 'https://older.example' },
    });
    await appendEvents(db(), [newer, older]);
    expect(await rowOrFail(db(), Submission, { id })).toMatchObject({
      grade: 'A',
      score: 95,
      url: null,
      updatedAt: new Date(plusMs(T0, 3_600_000)),
    });
    const history = await db()
      .dataSource.getRepository(SubmissionVersion)
      .find({ where: { submissionId: id }, order: { clock: 'ASC' } });
    expect(history.map((v) => [v.grade, v.clock])).toEqual([
      ['C', new Date(T0)],
      ['A', new Date(plusMs(T0, 3_600_000))],
    ]);
  });

  it('uses metadata.event_time as the clock of an event without body.updated_at', async () => {
    const id = globalIdOf(freshLocalId());
    const noClock = (grade: string, eventTime: string) =>
      withBody(submissionEvent({ submissionId: id, eventTime, body: { grade } }), { updated_at: undefined });
    await appendEvents(db(), [noClock('late-but-newer', plusMs(T0, 1_000)), noClock('older', T0)]);
    expect((await rowOrFail(db(), Submission, { id })).grade).toBe('late-but-newer');
  });

  it('lets an explicit null in a newer body clear a value', async () => {
    const id = globalIdOf(freshLocalId());
    await appendEvents(db(), [
      submissionEvent({ submissionId: id, updatedAt: T0, body: { url: 'https://example.com/x', grade: 'B' } }),
      submissionEvent({ submissionId: id, updatedAt: plusMs(T0, 1), body: { url: null, grade: null } }),
    ]);
    expect(await rowOrFail(db(), Submission, { id })).toMatchObject({ url: null, grade: null });
  });

  it('keeps a known course when a newer event about the same submission carries no context', async () => {
    const id = globalIdOf(freshLocalId());
    const courseId = globalIdOf(freshLocalId());
    const withCourse = submissionEvent({
      submissionId: id,
      updatedAt: T0,
      metadata: courseContext(courseId, { context_account_id: globalIdOf(79), context_sis_source_id: 'SIS-A' }),
    });
    const withoutContext = withMetadata(submissionEvent({ submissionId: id, updatedAt: plusMs(T0, 1_000) }), {
      context_type: undefined,
      context_id: undefined,
      context_account_id: undefined,
      context_sis_source_id: undefined,
      context_role: undefined,
    });
    await appendEvents(db(), [withCourse, withoutContext]);
    expect((await rowOrFail(db(), Submission, { id })).courseId).toBe(courseId);
  });

  it('keeps a course’s account and SIS id when a newer event in that course leaves them out', async () => {
    const courseId = globalIdOf(freshLocalId());
    const full = submissionEvent({
      eventTime: T0,
      metadata: courseContext(courseId, { context_account_id: globalIdOf(79), context_sis_source_id: 'SIS-B' }),
    });
    const sparse = withMetadata(submissionEvent({ eventTime: plusMs(T0, 60_000) }), {
      ...courseContext(courseId),
      context_account_id: undefined,
      context_sis_source_id: undefined,
    });
    await appendEvents(db(), [full, sparse]);
    expect(await rowOrFail(db(), Course, { id: courseId })).toMatchObject({
      accountId: globalIdOf(79),
      sisSourceId: 'SIS-B',
      firstSeenAt: new Date(T0),
      lastActivityAt: new Date(plusMs(T0, 60_000)),
    });
  });

  it.each([
    ['older first', false],
    ['newer first', true],
  ])('lets a newer explicit null clear a course’s SIS id, whichever arrives first (%s)', async (_order, newerFirst) => {
    const courseId = globalIdOf(freshLocalId());
    const older = submissionEvent({
      eventTime: T0,
      metadata: courseContext(courseId, { context_sis_source_id: 'SIS-OLD' }),
    });
    const newer = submissionEvent({
      eventTime: plusMs(T0, 60_000),
      metadata: courseContext(courseId, { context_sis_source_id: null }),
    });
    await appendEvents(db(), newerFirst ? [newer, older] : [older, newer]);
    expect((await rowOrFail(db(), Course, { id: courseId })).sisSourceId).toBeNull();
  });

  it('gives each course fact the value of the newest event that carried it, in all 6 orders of 3 events', async () => {
    const account = (n: number) => globalIdOf(7900 + n);
    for (const [n, order] of permutations([1, 2, 3]).entries()) {
      const courseId = globalIdOf(freshLocalId());
      // Each event carries only the facts given (the fixture's own are removed first).
      const inCourse = (eventTime: string, facts: Record<string, unknown>) =>
        withMetadata(submissionEvent({ eventTime }), {
          ...courseContext(courseId),
          context_account_id: undefined,
          context_sis_source_id: undefined,
          ...facts,
        });
      const events = [
        inCourse(T0, { context_account_id: account(1), context_sis_source_id: 'SIS-1' }),
        inCourse(plusMs(T0, 1_000), { context_sis_source_id: 'SIS-2' }),
        inCourse(plusMs(T0, 2_000), { context_account_id: account(3) }),
      ];
      await appendEvents(
        db(),
        order.map((i) => events[i - 1]),
      );
      const course = await rowOrFail(db(), Course, { id: courseId });
      expect({ order: n, accountId: course.accountId, sisSourceId: course.sisSourceId }).toEqual({
        order: n,
        accountId: account(3),
        sisSourceId: 'SIS-2',
      });
    }
  });

  it('keeps the first-seen and last-activity window whatever order the course’s events arrive in', async () => {
    const courseId = globalIdOf(freshLocalId());
    const times = [plusMs(T0, 5_000), T0, plusMs(T0, 9_000), plusMs(T0, 1_000)];
    await appendEvents(
      db(),
      times.map((t) => submissionEvent({ eventTime: isoWithOffset(t, -300), metadata: courseContext(courseId) })),
    );
    expect(await rowOrFail(db(), Course, { id: courseId })).toMatchObject({
      firstSeenAt: new Date(T0),
      lastActivityAt: new Date(plusMs(T0, 9_000)),
    });
  });

  it('treats a JSON number submission id like the same id as a string', async () => {
    const id = globalIdOf(freshLocalId());
    await appendEvents(db(), [submissionEvent({ submissionId: id, updatedAt: T0, body: { grade: 'as-string' } })]);
    const asNumber = JSON.stringify(
      submissionEvent({ submissionId: 'ID', updatedAt: plusMs(T0, 1), body: { grade: 'as-number' } }),
    ).replace('"submission_id":"ID"', `"submission_id":${id}`);
    await appendEvents(db(), [asNumber]);
    expect((await rowOrFail(db(), Submission, { id })).grade).toBe('as-number');
    expect(fixture('submission_updated').body.submission_id).toEqual(expect.any(String));
  });
});
