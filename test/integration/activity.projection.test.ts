// The merges behind conversation activity, Submission.postedAt and ResourceLink.title,
// in every arrival order, and the migration's back-fill of conversation activity.
import { Activity1764000003000 } from '../../migrations/1764000003000-activity';
import { Conversation } from '../../src/domains/conversations/conversation.entity';
import { ResourceLink } from '../../src/domains/resource-links/resource-link.entity';
import { Submission } from '../../src/domains/submissions/submission.entity';
import {
  CanvasEvent,
  commentEvent,
  conversationEvent,
  courseContext,
  freshLocalId,
  globalIdOf,
  messageEvent,
  permutations,
  plusMs,
  resourceLinkEvent,
  rootAccountOf,
  submissionEvent,
  withBody,
  withMetadata,
} from '../support/builders';
import { describeEachDatabase, TestDatabase } from '../support/databases';
import { row, rowOrFail } from '../support/ingest-app';
import { appendWith, freshLaunchParams, launchEvent } from '../support/lti';
import { clearEverything, snapshotProjections } from '../support/projections';

// Every ordering of four events, from empty tables each time: slow on a loaded MariaDB.
jest.setTimeout(180_000);

const T0 = '2024-03-04T09:00:00.000Z';
const HOUR = 3_600_000;
const COURSE = globalIdOf(565);
const OTHER_COURSE = globalIdOf(566);

/** Each ordering of `events` delivered one by one from empty tables; fails unless all end in the same projections. */
async function sameInEveryOrder(db: TestDatabase, events: unknown[]): Promise<void> {
  let first: Record<string, unknown[]> | undefined;
  for (const order of permutations(events)) {
    await clearEverything(db.dataSource);
    await appendWith(db, order);
    const snapshot = await snapshotProjections(db.dataSource);
    if (first) expect(snapshot).toEqual(first);
    else first = snapshot;
  }
}

const inCourse = (event: CanvasEvent, courseId: string) => withMetadata(event, courseContext(courseId));

describeEachDatabase('conversation activity, posted_at and live resource link titles', (db) => {
  describe('conversation activity', () => {
    it('keeps the newest message time, the course of the earliest event, and one count per message, in every order', async () => {
      const local = freshLocalId();
      const id = globalIdOf(local);
      const messageId = freshLocalId();
      const events = [
        inCourse(conversationEvent({ conversationId: local, eventTime: T0, updatedAt: T0 }), COURSE),
        // A later event in another course does not move it: the earliest event's course wins.
        inCourse(
          messageEvent({ conversationId: local, createdAt: plusMs(T0, HOUR), eventTime: plusMs(T0, HOUR) }),
          OTHER_COURSE,
        ),
        messageEvent({
          conversationId: local,
          messageId,
          createdAt: plusMs(T0, 3 * HOUR),
          eventTime: plusMs(T0, 3 * HOUR),
        }),
        // The same message again, delivered later (another event, not a duplicate): still one message.
        messageEvent({
          conversationId: local,
          messageId,
          createdAt: plusMs(T0, 3 * HOUR),
          eventTime: plusMs(T0, 4 * HOUR),
        }),
      ];
      await sameInEveryOrder(db(), events);
      expect(await rowOrFail(db(), Conversation, { id })).toMatchObject({
        courseId: COURSE,
        createdAt: new Date(T0),
        updatedAt: new Date(T0),
        lastMessageAt: new Date(plusMs(T0, 3 * HOUR)),
        lastActivityAt: new Date(plusMs(T0, 3 * HOUR)),
        messageCount: 2,
      });
    });

    it('makes a conversation that only receives messages active, and one with neither creation nor message not', async () => {
      const messagesOnly = freshLocalId();
      const forwardedOnly = freshLocalId();
      await appendWith(db(), [
        inCourse(messageEvent({ conversationId: messagesOnly, createdAt: T0 }), COURSE),
        messageEvent({ conversationId: messagesOnly, createdAt: plusMs(T0, -HOUR) }),
        conversationEvent({ name: 'conversation_forwarded', conversationId: forwardedOnly, updatedAt: T0 }),
      ]);
      expect(await rowOrFail(db(), Conversation, { id: globalIdOf(messagesOnly) })).toMatchObject({
        createdAt: null,
        courseId: COURSE,
        lastMessageAt: new Date(T0),
        lastActivityAt: new Date(T0),
        messageCount: 2,
      });
      expect(await rowOrFail(db(), Conversation, { id: globalIdOf(forwardedOnly) })).toMatchObject({
        updatedAt: new Date(T0),
        lastMessageAt: null,
        lastActivityAt: null,
        messageCount: 0,
        courseId: null,
      });
    });

    it('back-fills message count and activity of existing conversations when the migration runs', async () => {
      await clearEverything(db().dataSource);
      const withMessages = freshLocalId();
      const withoutMessages = freshLocalId();
      await appendWith(db(), [
        conversationEvent({ conversationId: withMessages, eventTime: T0 }),
        messageEvent({ conversationId: withMessages, createdAt: plusMs(T0, HOUR) }),
        messageEvent({ conversationId: withMessages, createdAt: plusMs(T0, 2 * HOUR) }),
        conversationEvent({ conversationId: withoutMessages, eventTime: T0 }),
      ]);
      const migration = new Activity1764000003000();
      const qr = db().dataSource.createQueryRunner();
      try {
        await migration.down(qr);
        await migration.up(qr);
      } finally {
        await qr.release();
      }
      expect(await rowOrFail(db(), Conversation, { id: globalIdOf(withMessages) })).toMatchObject({
        lastMessageAt: new Date(plusMs(T0, 2 * HOUR)),
        lastActivityAt: new Date(plusMs(T0, 2 * HOUR)),
        messageCount: 2,
        // Only the log knows the metadata: the course comes back with a replay.
        courseId: null,
      });
      expect(await rowOrFail(db(), Conversation, { id: globalIdOf(withoutMessages) })).toMatchObject({
        lastMessageAt: null,
        lastActivityAt: new Date(T0),
        messageCount: 0,
      });
    });
  });

  describe('Submission.postedAt', () => {
    const posted = (id: string, updatedAt: string, postedAt: string | null | undefined) =>
      submissionEvent({ submissionId: id, updatedAt, eventTime: updatedAt, body: { posted_at: postedAt } });

    it('is the posted_at of the newest event that carried one; an event without it erases nothing, in every order', async () => {
      const id = globalIdOf(freshLocalId());
      await sameInEveryOrder(db(), [
        posted(id, plusMs(T0, HOUR), '2024-03-04T09:30:00-06:00'),
        // Newer, but from a Canvas that does not send posted_at.
        posted(id, plusMs(T0, 2 * HOUR), undefined),
        // Older: its explicit null is not the latest word.
        posted(id, T0, null),
      ]);
      expect(await rowOrFail(db(), Submission, { id })).toMatchObject({
        postedAt: new Date('2024-03-04T15:30:00.000Z'),
        updatedAt: new Date(plusMs(T0, 2 * HOUR)),
      });
    });

    it('is cleared by a newer explicit null (grades hidden again), in every order', async () => {
      const id = globalIdOf(freshLocalId());
      await sameInEveryOrder(db(), [
        posted(id, plusMs(T0, HOUR), '2024-03-04T10:00:00Z'),
        posted(id, plusMs(T0, 2 * HOUR), undefined),
        posted(id, plusMs(T0, 3 * HOUR), null),
      ]);
      expect(await rowOrFail(db(), Submission, { id })).toMatchObject({ postedAt: null });
    });
  });

  describe('ResourceLink.title from live events and launches', () => {
    const SHARD = 35n;

    /** A launch of a link, the live event that names the link (title as given), and an event naming the root account. */
    function scenario(liveTitle: string | null | undefined, liveOffsetMs: number) {
      const params = freshLaunchParams();
      const courseId = globalIdOf(params.custom_canvas_course_id, SHARD);
      const metadata = {
        root_account_id: rootAccountOf(SHARD),
        root_account_lti_guid: params.tool_consumer_instance_guid,
        ...courseContext(courseId),
      };
      const linkId = globalIdOf(freshLocalId(), SHARD);
      const launch = launchEvent(params, T0);
      const link = withMetadata(
        resourceLinkEvent({
          resourceLinkId: linkId,
          courseId,
          eventTime: plusMs(T0, liveOffsetMs),
          body: { resource_link_uuid: params.resource_link_id, context_type: 'Course', title: liveTitle },
        }),
        metadata,
      );
      const account = withMetadata(commentEvent({ eventTime: plusMs(T0, 500) }), metadata);
      return { linkId, events: [launch, link, account] };
    }

    it.each([
      ['a newer live title wins over the launch', 'Renamed in Canvas', 2000, 'Renamed in Canvas'],
      ['an older live title loses to the launch', 'Old Canvas title', -2000, 'Week 3 reading quiz'],
      ['a live event without a title leaves the launch title', undefined, 2000, 'Week 3 reading quiz'],
      ['a newer explicit null clears it', null, 2000, null],
    ])('%s, in every arrival order', async (_, liveTitle, offset, expected) => {
      const s = scenario(liveTitle, offset);
      await sameInEveryOrder(db(), s.events);
      expect(await rowOrFail(db(), ResourceLink, { id: s.linkId })).toMatchObject({
        title: expected,
        launchTitle: 'Week 3 reading quiz',
      });
    });

    it('takes the title of live events alone when no launch named the link, the newest by event time', async () => {
      const id = globalIdOf(freshLocalId());
      await sameInEveryOrder(db(), [
        resourceLinkEvent({ resourceLinkId: id, eventTime: T0, body: { title: 'First' } }),
        resourceLinkEvent({
          name: 'lti_resource_link_updated',
          resourceLinkId: id,
          eventTime: plusMs(T0, 1000),
          body: { title: 'Second' },
        }),
        resourceLinkEvent({ name: 'lti_resource_link_updated', resourceLinkId: id, eventTime: plusMs(T0, 2000) }),
      ]);
      expect(await rowOrFail(db(), ResourceLink, { id })).toMatchObject({ title: 'Second', liveTitle: 'Second' });
    });

    it('refuses a title that is not text as an invalid body, naming the field', async () => {
      const id = globalIdOf(freshLocalId());
      const [outcome] = await appendWith(db(), [
        withBody(resourceLinkEvent({ resourceLinkId: id }), { title: { nested: true } }),
      ]);
      expect(outcome).toMatchObject({ status: 'invalid' });
      expect(JSON.stringify(outcome)).toContain('title');
      expect(await row(db(), ResourceLink, { id })).toBeNull();
    });
  });
});
