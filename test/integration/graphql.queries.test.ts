// The read API over projected events: every type's fields, relations, filters and the
// raw event log, queried over HTTP against the real app.
import { describeEachDatabase } from '../support/databases';
import { fixture, withBody } from '../support/builders';
import {
  commentEvent,
  conversationEvent,
  dataOf,
  gid,
  graphqlClient,
  ingest,
  messageEvent,
  resourceLinkEvent,
  submissionEvent,
} from '../support/graphql-fixtures';

const COURSE = gid(565);
const OTHER_COURSE = gid(566);
const TOOL = gid(42);

describeEachDatabase('reading projections through GraphQL', (db) => {
  let client: Awaited<ReturnType<typeof graphqlClient>>;
  let eventIds: string[];

  beforeAll(async () => {
    client = await graphqlClient(db());
    eventIds = await ingest(db(), [
      // A newer state first, then an older one arriving late: history follows the clock.
      submissionEvent({
        id: gid(1001),
        courseId: COURSE,
        assignmentId: gid(11),
        userId: gid(21),
        score: 8.5,
        grade: 'B',
        late: true,
        missing: false,
        workflowState: 'graded',
        submittedAt: '2024-01-09T23:59:59.123+02:00',
        updatedAt: '2024-01-12T10:00:00.000Z',
      }),
      submissionEvent({
        id: gid(1001),
        courseId: COURSE,
        name: 'submission_created',
        score: null,
        workflowState: 'submitted',
        submittedAt: '2024-01-09T21:59:59.123Z',
        updatedAt: '2024-01-09T21:59:59.123Z',
      }),
      submissionEvent({
        id: gid(1002),
        courseId: COURSE,
        score: 3,
        late: false,
        missing: true,
        workflowState: 'unsubmitted',
        submittedAt: null,
        updatedAt: '2024-01-03T00:00:00.000Z',
      }),
      submissionEvent({
        id: gid(1003),
        courseId: OTHER_COURSE,
        score: 10,
        late: false,
        missing: false,
        workflowState: 'submitted',
        submittedAt: '2024-01-05T00:00:00.000Z',
      }),
      // Local body ids, as Canvas sends them in comments: widened to the shard.
      commentEvent({
        id: '77',
        submissionId: '1001',
        courseId: COURSE,
        authorId: '12345',
        body: 'Well done 🎉',
        attachmentIds: ['54417187'],
      }),
      resourceLinkEvent({ id: gid(3001), courseId: COURSE, toolId: TOOL, url: 'https://tool.example/a' }),
      resourceLinkEvent({
        id: gid(3002),
        courseId: COURSE,
        contextType: 'Assignment',
        contextId: gid(11),
        toolId: TOOL,
      }),
      resourceLinkEvent({ id: gid(3003), courseId: OTHER_COURSE, toolId: gid(43), workflowState: 'deleted' }),
      conversationEvent({
        id: gid(4001),
        userId: String(20n * 10n ** 13n + 5n),
        eventTime: '2024-02-01T08:00:00.000Z',
        updatedAt: '2024-02-03T08:00:00.000Z',
      }),
      messageEvent({
        id: gid(5001),
        conversationId: gid(4001),
        authorId: String(3n * 10n ** 13n + 9n),
        createdAt: '2024-02-02T00:00:00.000Z',
      }),
      messageEvent({
        id: gid(5002),
        conversationId: gid(4001),
        authorId: String(20n * 10n ** 13n + 5n),
        createdAt: '2024-02-03T00:00:00.000Z',
      }),
      conversationEvent({ id: gid(4002), userId: gid(7), eventTime: '2024-03-01T08:00:00.000Z' }),
      // Not an event type anything projects, and an event whose body breaks its schema.
      '{"metadata":{"event_name":"course_grade_change","event_time":"2024-04-01T00:00:00Z"},"body":{"big":21070000000000565}}',
      withBody(fixture('submission_created'), { submission_id: 'not-an-id' }),
    ]);
  });

  it('answers a course with its ids, activity window and Canvas facts', async () => {
    const { course } = await dataOf(
      client,
      `{ course(id: "${COURSE}") {
      id localId accountId sisSourceId firstSeenAt lastActivityAt } }`,
    );
    expect(course).toEqual({
      id: COURSE,
      localId: '565',
      accountId: gid(79),
      sisSourceId: '2017.100.101.101-1',
      firstSeenAt: '2024-01-03T00:00:00.000Z',
      lastActivityAt: '2024-01-12T10:00:00.000Z',
    });
  });

  it("lists a course's own resource links and submissions, not those of its assignments or other courses", async () => {
    const { course } = await dataOf(
      client,
      `{ course(id: "${COURSE}") {
      resourceLinks { totalCount nodes { id } }
      submissions { totalCount nodes { id } } } }`,
    );
    expect(course.resourceLinks).toEqual({ totalCount: 1, nodes: [{ id: gid(3001) }] });
    expect(course.submissions).toEqual({ totalCount: 2, nodes: [{ id: gid(1001) }, { id: gid(1002) }] });
  });

  it('answers a submission in its latest state, with UTC times, its course, comments and history by clock', async () => {
    const { submission } = await dataOf(
      client,
      `{ submission(id: "${gid(1001)}") {
      id localId assignmentId userId attempt grade score late missing workflowState submittedAt updatedAt
      course { id }
      comments { totalCount nodes { id localId submissionId authorId body attachmentIds createdAt submission { id } } }
      history { eventName eventTime score workflowState submittedAt updatedAt } } }`,
    );
    expect(submission).toMatchObject({
      id: gid(1001),
      localId: '1001',
      assignmentId: gid(11),
      userId: gid(21),
      grade: 'B',
      score: 8.5,
      late: true,
      missing: false,
      workflowState: 'graded',
      submittedAt: '2024-01-09T21:59:59.123Z',
      updatedAt: '2024-01-12T10:00:00.000Z',
      course: { id: COURSE },
    });
    expect(submission.comments).toEqual({
      totalCount: 1,
      nodes: [
        {
          id: gid(77),
          localId: '77',
          submissionId: gid(1001),
          authorId: gid(12345),
          body: 'Well done 🎉',
          attachmentIds: [gid(54417187)],
          createdAt: '2024-01-11T09:00:00.000Z',
          submission: { id: gid(1001) },
        },
      ],
    });
    expect(submission.history).toEqual([
      {
        eventName: 'submission_created',
        eventTime: '2024-01-09T21:59:59.123Z',
        score: null,
        workflowState: 'submitted',
        submittedAt: '2024-01-09T21:59:59.123Z',
        updatedAt: '2024-01-09T21:59:59.123Z',
      },
      {
        eventName: 'submission_updated',
        eventTime: '2024-01-12T10:00:00.000Z',
        score: 8.5,
        workflowState: 'graded',
        submittedAt: '2024-01-09T21:59:59.123Z',
        updatedAt: '2024-01-12T10:00:00.000Z',
      },
    ]);
  });

  it('filters submissions by state, flags and time windows', async () => {
    const ids = async (filter: Record<string, unknown>) =>
      (
        await dataOf(client, 'query($f: SubmissionFilter) { submissions(filter: $f) { nodes { id } } }', { f: filter })
      ).submissions.nodes.map((n: { id: string }) => n.id);
    expect(await ids({ workflowStates: ['graded', 'unsubmitted'] })).toEqual([gid(1001), gid(1002)]);
    expect(await ids({ workflowStates: [] })).toEqual([]);
    expect(await ids({ late: true })).toEqual([gid(1001)]);
    expect(await ids({ missing: true, courseId: COURSE })).toEqual([gid(1002)]);
    expect(await ids({ assignmentId: gid(11), userId: gid(21) })).toEqual([gid(1001)]);
    // An instant written with an offset is the same instant.
    expect(await ids({ submittedSince: '2024-01-09T23:59:59.123+02:00' })).toEqual([gid(1001)]);
    expect(await ids({ submittedSince: '2024-01-05T00:00:00Z', submittedBefore: '2024-01-09T21:59:59.123Z' })).toEqual([
      gid(1003),
    ]);
    expect(await ids({ updatedSince: '2024-01-10T00:00:00Z' })).toEqual([gid(1001), gid(1003)]);
  });

  it('answers resource links with their course only when placed in a course, and filters them', async () => {
    const { resourceLinks } = await dataOf(
      client,
      `{ resourceLinks { nodes { id localId contextId contextType toolId url workflowState createdAt course { id } } } }`,
    );
    expect(resourceLinks.nodes).toEqual([
      {
        id: gid(3001),
        localId: '3001',
        contextId: COURSE,
        contextType: 'Course',
        toolId: TOOL,
        url: 'https://tool.example/a',
        workflowState: 'active',
        createdAt: '2024-01-05T12:00:00.000Z',
        course: { id: COURSE },
      },
      expect.objectContaining({ id: gid(3002), contextType: 'Assignment', contextId: gid(11), course: null }),
      expect.objectContaining({ id: gid(3003), workflowState: 'deleted', course: { id: OTHER_COURSE } }),
    ]);
    const ids = async (filter: Record<string, unknown>) =>
      (
        await dataOf(
          client,
          'query($f: ResourceLinkFilter) { resourceLinks(filter: $f) { totalCount nodes { id } } }',
          { f: filter },
        )
      ).resourceLinks;
    expect(await ids({ toolId: TOOL })).toEqual({ totalCount: 2, nodes: [{ id: gid(3001) }, { id: gid(3002) }] });
    expect(await ids({ courseId: COURSE })).toEqual({ totalCount: 1, nodes: [{ id: gid(3001) }] });
    expect(await ids({ contextType: 'Assignment' })).toEqual({ totalCount: 1, nodes: [{ id: gid(3002) }] });
    expect(await ids({ workflowState: 'deleted' })).toEqual({ totalCount: 1, nodes: [{ id: gid(3003) }] });
  });

  it('filters courses by ids and account', async () => {
    const ids = async (filter: Record<string, unknown>) =>
      (await dataOf(client, 'query($f: CourseFilter) { courses(filter: $f) { nodes { id } } }', { f: filter })).courses
        .nodes;
    expect(await ids({ ids: [OTHER_COURSE, gid(999)] })).toEqual([{ id: OTHER_COURSE }]);
    expect(await ids({ accountId: gid(79) })).toEqual([{ id: COURSE }, { id: OTHER_COURSE }]);
    expect(await ids({ accountId: gid(80) })).toEqual([]);
  });

  it('answers a conversation with its participants in numeric order, distinct, and its messages', async () => {
    const { conversation } = await dataOf(
      client,
      `{ conversation(id: "${gid(4001)}") {
      id localId startedById createdAt updatedAt participantIds messageCount
      messages { nodes { id localId conversationId authorId createdAt conversation { id } } } } }`,
    );
    expect(conversation).toEqual({
      id: gid(4001),
      localId: '4001',
      startedById: '200000000000005',
      createdAt: '2024-02-01T08:00:00.000Z',
      updatedAt: '2024-02-03T08:00:00.000Z',
      participantIds: ['30000000000009', '200000000000005'],
      messageCount: 2,
      messages: {
        nodes: [
          {
            id: gid(5001),
            localId: '5001',
            conversationId: gid(4001),
            authorId: '30000000000009',
            createdAt: '2024-02-02T00:00:00.000Z',
            conversation: { id: gid(4001) },
          },
          {
            id: gid(5002),
            localId: '5002',
            conversationId: gid(4001),
            authorId: '200000000000005',
            createdAt: '2024-02-03T00:00:00.000Z',
            conversation: { id: gid(4001) },
          },
        ],
      },
    });
  });

  it('filters conversations by participant and by when they were updated', async () => {
    const ids = async (filter: Record<string, unknown>) =>
      (
        await dataOf(client, 'query($f: ConversationFilter) { conversations(filter: $f) { nodes { id } } }', {
          f: filter,
        })
      ).conversations.nodes;
    expect(await ids({ participantId: '30000000000009' })).toEqual([{ id: gid(4001) }]);
    expect(await ids({ participantId: gid(7) })).toEqual([{ id: gid(4002) }]);
    expect(await ids({ updatedSince: '2024-02-03T08:00:00.000Z', updatedBefore: '2024-03-01T08:00:00.000Z' })).toEqual([
      { id: gid(4001) },
    ]);
    expect(await ids({ updatedBefore: '2024-02-03T08:00:00.000Z' })).toEqual([]);
  });

  it('answers null for ids nothing has named', async () => {
    const data = await dataOf(
      client,
      `{ course(id: "1") { id } submission(id: "2") { id } resourceLink(id: "3") { id } conversation(id: "4") { id } }`,
    );
    expect(data).toEqual({ course: null, submission: null, resourceLink: null, conversation: null });
  });

  it('serves the raw event log with statuses, reasons and payloads whose big numbers keep every digit', async () => {
    const { events } = await dataOf(
      client,
      `{ events(first: 100) { totalCount nodes { id name time status error payload } } }`,
    );
    expect(events.totalCount).toBe(eventIds.length);
    expect(events.nodes.map((e: { id: string }) => e.id)).toEqual(eventIds);
    const unprojected = events.nodes.find((e: { name: string }) => e.name === 'course_grade_change');
    expect(unprojected).toMatchObject({ status: 'UNPROJECTED', error: null, time: '2024-04-01T00:00:00.000Z' });
    expect(unprojected.payload).toEqual({ metadata: expect.any(Object), body: { big: '21070000000000565' } });
    const invalid = events.nodes.find((e: { status: string }) => e.status === 'INVALID');
    expect(invalid.error).toMatch(/body\.submission_id/);
    const first = events.nodes[0];
    expect(first.payload.body.submission_id).toBe(gid(1001));
    expect(first.payload.metadata.event_name).toBe('submission_updated');
  });

  it('filters the event log by names, status and time', async () => {
    const names = async (filter: Record<string, unknown>) =>
      (
        await dataOf(client, 'query($f: EventFilter) { events(filter: $f) { nodes { name } } }', { f: filter })
      ).events.nodes.map((e: { name: string }) => e.name);
    expect(await names({ names: ['conversation_created'] })).toEqual(['conversation_created', 'conversation_created']);
    expect(await names({ status: 'UNPROJECTED' })).toEqual(['course_grade_change']);
    expect(await names({ since: '2024-03-01T08:00:00Z', before: '2024-04-01T00:00:00Z' })).toEqual([
      'conversation_created',
    ]);
  });
});
