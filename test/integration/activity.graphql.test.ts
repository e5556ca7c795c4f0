// The activity API: conversations' activity fields, filters and orders; the top-level
// comment and message lists and a course's comments; the score and grading-time bounds of
// SubmissionFilter; Submission.postedAt. Each order is paged through two at a time and
// compared with the same rows sorted here by the documented rule (nulls lowest, ties by id).
import request from 'supertest';
import { BadInputError } from '../../src/errors';
import { checkSubmissionFilter } from '../../src/domains/submissions';
import { withBody, withMetadata, courseContext } from '../support/builders';
import { describeEachDatabase } from '../support/databases';
import {
  commentEvent,
  conversationEvent,
  dataOf,
  gid,
  QueryData,
  graphqlClient,
  ingest,
  messageEvent,
  submissionEvent,
} from '../support/graphql-fixtures';

const A = gid(565);
const B = gid(566);
const C = gid(567);
const [S1, S2, S3, S4, S5] = [1101, 1102, 1103, 1104, 1105].map(gid);
const [K1, K2, K3, K4, K5, K6] = [2101, 2102, 2103, 2104, 2105, 2106].map(gid);
const [C1, C2, C3, C4, C5] = [7001, 7002, 7003, 7004, 7005].map(gid);
const [M1, M2, M3, M4, M5, M6] = [8001, 8002, 8003, 8004, 8005, 8006].map(gid);

type Client = Awaited<ReturnType<typeof graphqlClient>>;
type SortValue = string | number | null;

/** Ids in list order: by value, nulls lowest, ties by numeric id, all reversed for DESC. */
function sortedIds(rows: Array<{ id: string; value: SortValue }>, direction: 'ASC' | 'DESC'): string[] {
  const sign = direction === 'ASC' ? 1 : -1;
  const compareValues = (a: SortValue, b: SortValue) =>
    a === b ? 0 : a === null ? -1 : b === null ? 1 : a < b ? -1 : 1;
  return [...rows]
    .sort((a, b) => sign * (compareValues(a.value, b.value) || (BigInt(a.id) < BigInt(b.id) ? -1 : 1)))
    .map((r) => r.id);
}

/** Every id of `field(args)`, fetched two at a time by following endCursor. */
async function pagedIds(client: Client, field: string, args: string): Promise<string[]> {
  const ids: string[] = [];
  let after: string | null = null;
  for (let page = 0; page < 50; page++) {
    const data: QueryData = await dataOf(
      client,
      `query($after: String) { ${field}(first: 2, after: $after${args ? `, ${args}` : ''}) {
        nodes { id } pageInfo { hasNextPage endCursor } } }`,
      { after },
    );
    ids.push(...data[field].nodes.map((n: { id: string }) => n.id));
    if (!data[field].pageInfo.hasNextPage) return ids;
    after = data[field].pageInfo.endCursor;
  }
  throw new Error(`${field} did not end`);
}

const idsOf = (connection: { nodes: Array<{ id: string }> }) => connection.nodes.map((n) => n.id);

describeEachDatabase('conversation activity, comments, messages and submission filters over GraphQL', (db) => {
  let client: Client;

  beforeAll(async () => {
    client = await graphqlClient(db());
    const graded = (event: ReturnType<typeof submissionEvent>, gradedAt: string) =>
      withBody(event, { graded_at: gradedAt });
    const inCourse = <E extends Parameters<typeof withMetadata>[0]>(event: E, courseId: string) =>
      withMetadata(event, courseContext(courseId));
    await ingest(db(), [
      graded(submissionEvent({ id: S1, courseId: A, assignmentId: gid(11), score: 0.3 }), '2024-03-01T10:00:00Z'),
      // 0.1 + 0.2: just above 0.3 as a double, on both databases.
      graded(submissionEvent({ id: S2, courseId: A, assignmentId: gid(12), score: 0.1 + 0.2 }), '2024-03-02T10:00:00Z'),
      withBody(submissionEvent({ id: S3, courseId: B, assignmentId: gid(13), score: 99.5 }), {
        posted_at: '2024-03-02T12:00:00-06:00',
        graded_at: undefined,
      }),
      withBody(submissionEvent({ id: S4, courseId: B, score: null }), { graded_at: undefined }),
      graded(submissionEvent({ id: S5, courseId: C, score: 100 }), '2024-03-03T00:00:00Z'),

      commentEvent({ id: K1, submissionId: S1, courseId: A, authorId: gid(9), createdAt: '2024-03-01T00:00:00Z' }),
      commentEvent({ id: K2, submissionId: S1, courseId: A, authorId: gid(21), createdAt: '2024-03-02T00:00:00Z' }),
      commentEvent({ id: K3, submissionId: S2, courseId: A, authorId: gid(9), createdAt: '2024-02-28T00:00:00Z' }),
      commentEvent({ id: K4, submissionId: S3, courseId: B, authorId: gid(9), createdAt: '2024-03-03T00:00:00Z' }),
      withBody(commentEvent({ id: K5, submissionId: S2, courseId: A, authorId: gid(21) }), { created_at: undefined }),
      // On a submission nothing else names, in no course.
      commentEvent({
        id: K6,
        submissionId: gid(1199),
        courseId: null,
        authorId: gid(22),
        createdAt: '2024-03-05T00:00:00Z',
      }),

      inCourse(conversationEvent({ id: C1, userId: gid(21), eventTime: '2024-03-01T08:00:00Z' }), A),
      messageEvent({ id: M1, conversationId: C1, authorId: gid(21), createdAt: '2024-03-01T09:00:00Z' }),
      messageEvent({ id: M2, conversationId: C1, authorId: gid(9), createdAt: '2024-03-04T10:00:00Z' }),
      // Only messages: no creation event, no updated_at.
      inCourse(messageEvent({ id: M3, conversationId: C2, authorId: gid(22), createdAt: '2024-03-04T11:00:00Z' }), B),
      messageEvent({ id: M4, conversationId: C2, authorId: gid(9), createdAt: '2024-03-05T12:00:00Z' }),
      messageEvent({ id: M5, conversationId: C2, authorId: gid(22), createdAt: '2024-03-06T09:00:00Z' }),
      inCourse(conversationEvent({ id: C3, userId: gid(23), eventTime: '2024-02-20T00:00:00Z' }), A),
      conversationEvent({ id: C4, name: 'conversation_forwarded', eventTime: '2024-03-05T00:00:00Z' }),
      conversationEvent({ id: C5, userId: gid(21), eventTime: '2024-03-02T00:00:00Z' }),
      messageEvent({ id: M6, conversationId: C5, authorId: gid(21), createdAt: '2024-03-05T08:00:00Z' }),
    ]);
  });

  describe('conversations', () => {
    it('answers courseId, lastMessageAt, lastActivityAt and messageCount', async () => {
      const data = await dataOf(
        client,
        `{ conversations { nodes { id courseId createdAt updatedAt lastMessageAt lastActivityAt messageCount } } }`,
      );
      expect(data.conversations.nodes).toEqual([
        {
          id: C1,
          courseId: A,
          createdAt: '2024-03-01T08:00:00.000Z',
          updatedAt: '2024-03-01T08:00:00.000Z',
          lastMessageAt: '2024-03-04T10:00:00.000Z',
          lastActivityAt: '2024-03-04T10:00:00.000Z',
          messageCount: 2,
        },
        {
          id: C2,
          courseId: B,
          createdAt: null,
          updatedAt: null,
          lastMessageAt: '2024-03-06T09:00:00.000Z',
          lastActivityAt: '2024-03-06T09:00:00.000Z',
          messageCount: 3,
        },
        {
          id: C3,
          courseId: A,
          createdAt: '2024-02-20T00:00:00.000Z',
          updatedAt: '2024-02-20T00:00:00.000Z',
          lastMessageAt: null,
          lastActivityAt: '2024-02-20T00:00:00.000Z',
          messageCount: 0,
        },
        {
          id: C4,
          courseId: null,
          createdAt: null,
          updatedAt: '2024-03-05T00:00:00.000Z',
          lastMessageAt: null,
          lastActivityAt: null,
          messageCount: 0,
        },
        {
          id: C5,
          courseId: null,
          createdAt: '2024-03-02T00:00:00.000Z',
          updatedAt: '2024-03-02T00:00:00.000Z',
          lastMessageAt: '2024-03-05T08:00:00.000Z',
          lastActivityAt: '2024-03-05T08:00:00.000Z',
          messageCount: 1,
        },
      ]);
    });

    it.each([
      ['courseId: A', `{ courseId: "${A}" }`, [C1, C3]],
      ['courseId: B', `{ courseId: "${B}" }`, [C2]],
      ['activeSince', `{ activeSince: "2024-03-04T00:00:00Z" }`, [C1, C2, C5]],
      ['activeBefore (unknown activity matches no bound)', `{ activeBefore: "2024-03-04T00:00:00Z" }`, [C3]],
      [
        'activeSince and activeBefore with an offset',
        `{ activeSince: "2024-03-04T03:00:00-07:00", activeBefore: "2024-03-06T09:00:00Z" }`,
        [C1, C5],
      ],
      ['courseId and participantId', `{ courseId: "${A}", participantId: "${gid(9)}" }`, [C1]],
    ])('filters by %s', async (_, filter, expected) => {
      const data = await dataOf(client, `{ conversations(filter: ${filter}) { totalCount nodes { id } } }`);
      expect(idsOf(data.conversations)).toEqual(expected);
      expect(data.conversations.totalCount).toBe(expected.length);
    });

    it.each([
      ['ID', null],
      ['UPDATED_AT', 'updatedAt'],
      ['LAST_ACTIVITY_AT', 'lastActivityAt'],
      ['MESSAGE_COUNT', 'messageCount'],
    ] as const)('pages through every conversation by %s, both ways, nulls lowest', async (field, property) => {
      const all = await dataOf(
        client,
        `{ conversations(first: 100) { nodes { id updatedAt lastActivityAt messageCount } } }`,
      );
      const rows = all.conversations.nodes.map((n: Record<string, SortValue> & { id: string }) => ({
        id: n.id,
        value: property ? n[property] : null,
      }));
      for (const direction of ['ASC', 'DESC'] as const) {
        const ids = await pagedIds(client, 'conversations', `orderBy: { field: ${field}, direction: ${direction} }`);
        expect(ids).toEqual(sortedIds(rows, direction));
      }
    });

    it('refuses a cursor of one conversation order in another', async () => {
      const first = await dataOf(
        client,
        `{ conversations(first: 1, orderBy: { field: MESSAGE_COUNT, direction: DESC }) { pageInfo { endCursor } } }`,
      );
      const res = await client.query(
        `query($after: String) { conversations(after: $after, orderBy: { field: LAST_ACTIVITY_AT, direction: DESC }) { nodes { id } } }`,
        { after: first.conversations.pageInfo.endCursor },
      );
      expect(res.errors?.[0].message).toMatch(/after.*another list or order/);
    });
  });

  describe('Query.comments and Course.comments', () => {
    it.each([
      ['no filter', '{}', [K1, K2, K3, K4, K5, K6]],
      ['courseId (through the submission)', `{ courseId: "${A}" }`, [K1, K2, K3, K5]],
      ['submissionId', `{ submissionId: "${S1}" }`, [K1, K2]],
      ['assignmentId (through the submission)', `{ assignmentId: "${gid(11)}" }`, [K1, K2]],
      ['authorId', `{ authorId: "${gid(9)}" }`, [K1, K3, K4]],
      ['createdSince', `{ createdSince: "2024-03-01T00:00:00Z" }`, [K1, K2, K4, K6]],
      ['createdBefore (unknown createdAt matches no bound)', `{ createdBefore: "2024-03-01T00:00:00Z" }`, [K3]],
      ['courseId and authorId', `{ courseId: "${A}", authorId: "${gid(9)}" }`, [K1, K3]],
    ])('filters by %s', async (_, filter, expected) => {
      const data = await dataOf(client, `{ comments(filter: ${filter}) { totalCount nodes { id } } }`);
      expect(idsOf(data.comments)).toEqual(expected);
      expect(data.comments.totalCount).toBe(expected.length);
    });

    it.each([
      ['ID', null],
      ['CREATED_AT', 'createdAt'],
    ] as const)('pages through every comment by %s, both ways, nulls lowest', async (field, property) => {
      const all = await dataOf(client, `{ comments(first: 100) { nodes { id createdAt } } }`);
      const rows = all.comments.nodes.map((n: { id: string; createdAt: string | null }) => ({
        id: n.id,
        value: property ? n[property] : null,
      }));
      for (const direction of ['ASC', 'DESC'] as const) {
        const ids = await pagedIds(client, 'comments', `orderBy: { field: ${field}, direction: ${direction} }`);
        expect(ids).toEqual(sortedIds(rows, direction));
      }
    });

    const COURSE_COMMENTS = (ids: string[]) => `{ courses(filter: { ids: ${JSON.stringify(ids)} }) { nodes { id
      comments(first: 2, orderBy: { field: CREATED_AT, direction: DESC }) { totalCount nodes { id submission { id } } }
      authored: comments(filter: { authorId: "${gid(9)}" }) { totalCount nodes { id } } } } }`;

    it("lists each course's comments, filtered and ordered, batched over the courses", async () => {
      const data = await dataOf(client, COURSE_COMMENTS([A, B, C]));
      expect(data.courses.nodes).toEqual([
        {
          id: A,
          comments: {
            totalCount: 4,
            nodes: [
              { id: K2, submission: { id: S1 } },
              { id: K1, submission: { id: S1 } },
            ],
          },
          authored: { totalCount: 2, nodes: [{ id: K1 }, { id: K3 }] },
        },
        {
          id: B,
          comments: { totalCount: 1, nodes: [{ id: K4, submission: { id: S3 } }] },
          authored: { totalCount: 1, nodes: [{ id: K4 }] },
        },
        { id: C, comments: { totalCount: 0, nodes: [] }, authored: { totalCount: 0, nodes: [] } },
      ]);
    });

    it('runs as many statements for three courses as for one', async () => {
      db().statements.length = 0;
      await dataOf(client, COURSE_COMMENTS([A]));
      const one = db().statements.filter((sql) => /submission_comments/.test(sql)).length;
      db().statements.length = 0;
      await dataOf(client, COURSE_COMMENTS([A, B, C]));
      const three = db().statements.filter((sql) => /submission_comments/.test(sql)).length;
      // Per list (two aliases): one page statement and one count, whatever the number of courses.
      expect(one).toBe(4);
      expect(three).toBe(one);
    });

    it('charges a nested comment list by its bound', async () => {
      const res = await client.query(
        `{ courses(first: 100) { nodes { comments(first: 100) { nodes { submission { comments(first: 100) { nodes { id } } } } } } } }`,
      );
      expect(res.errors?.[0].message).toMatch(/cost/);
      expect(res.data).toBeUndefined();
    });
  });

  describe('Query.messages', () => {
    it.each([
      ['no filter', '{}', [M1, M2, M3, M4, M5, M6]],
      ['conversationId', `{ conversationId: "${C2}" }`, [M3, M4, M5]],
      ['authorId', `{ authorId: "${gid(9)}" }`, [M2, M4]],
      ['courseId (its conversation’s)', `{ courseId: "${A}" }`, [M1, M2]],
      ['courseId learnt from one message, for all of them', `{ courseId: "${B}" }`, [M3, M4, M5]],
      ['createdSince', `{ createdSince: "2024-03-05T00:00:00Z" }`, [M4, M5, M6]],
      ['createdBefore', `{ createdBefore: "2024-03-04T10:30:00Z" }`, [M1, M2]],
    ])('filters by %s', async (_, filter, expected) => {
      const data = await dataOf(client, `{ messages(filter: ${filter}) { totalCount nodes { id } } }`);
      expect(idsOf(data.messages)).toEqual(expected);
      expect(data.messages.totalCount).toBe(expected.length);
    });

    it('pages through every message oldest first, and refuses a cursor of another list', async () => {
      expect(await pagedIds(client, 'messages', '')).toEqual([M1, M2, M3, M4, M5, M6]);
      const comments = await dataOf(client, `{ comments(first: 1) { pageInfo { endCursor } } }`);
      const res = await client.query(`query($after: String) { messages(after: $after) { nodes { id } } }`, {
        after: comments.comments.pageInfo.endCursor,
      });
      expect(res.errors?.[0].message).toMatch(/after.*another list or order/);
    });
  });

  describe('bad filter ids', () => {
    it.each([
      ['comments', 'courseId'],
      ['comments', 'assignmentId'],
      ['messages', 'courseId'],
      ['conversations', 'courseId'],
    ])('%s: a bad filter.%s is an error naming it', async (list, field) => {
      const res = await client.query(`{ ${list}(filter: { ${field}: "12x" }) { nodes { id } } }`);
      expect(res.errors?.[0].message).toContain(`filter.${field}`);
      expect(res.data).toBeNull();
    });
  });

  describe('SubmissionFilter: score and grading time', () => {
    const ids = async (filter: string) => {
      const data = await dataOf(client, `{ submissions(filter: ${filter}) { totalCount nodes { id } } }`);
      expect(data.submissions.totalCount).toBe(data.submissions.nodes.length);
      return idsOf(data.submissions);
    };

    it('compares scores as doubles, bounds included, the same on both databases', async () => {
      expect(await ids('{ scoreAtLeast: 0.3 }')).toEqual([S1, S2, S3, S5]);
      // 0.1 + 0.2 is above 0.3.
      expect(await ids('{ scoreAtMost: 0.3 }')).toEqual([S1]);
      expect(await ids(`{ scoreAtLeast: ${0.1 + 0.2} }`)).toEqual([S2, S3, S5]);
      expect(await ids('{ scoreAtLeast: 99.5, scoreAtMost: 99.5 }')).toEqual([S3]);
      expect(await ids('{ scoreAtLeast: -1e308 }')).toEqual([S1, S2, S3, S5]);
      expect(await ids('{ scoreAtLeast: 1e-300, scoreAtMost: 1e300 }')).toEqual([S1, S2, S3, S5]);
    });

    it('filters by grading time; ungraded submissions match no bound', async () => {
      expect(await ids('{ gradedSince: "2024-03-02T10:00:00Z" }')).toEqual([S2, S5]);
      expect(await ids('{ gradedBefore: "2024-03-02T04:00:00-06:00" }')).toEqual([S1]);
      expect(await ids('{ gradedSince: "2024-03-01T00:00:00Z", gradedBefore: "2024-03-03T00:00:00Z" }')).toEqual([
        S1,
        S2,
      ]);
    });

    it('applies the new bounds to a course’s submissions too', async () => {
      const data = await dataOf(
        client,
        `{ course(id: "${A}") { submissions(filter: { scoreAtMost: 0.3 }) { totalCount nodes { id } } } }`,
      );
      expect(data.course.submissions).toEqual({ totalCount: 1, nodes: [{ id: S1 }] });
    });

    it('refuses an infinite score bound sent as a variable, saying which', async () => {
      const res = await request(client.app)
        .post('/graphql')
        .set('Content-Type', 'application/json')
        .send(
          '{"query":"query($s: Float) { submissions(filter: { scoreAtLeast: $s }) { nodes { id } } }","variables":{"s":1e999}}',
        );
      expect(res.body.data).toBeUndefined();
      expect(res.body.errors[0].message).toMatch(/\$s.*Float/);
    });

    it('refuses NaN and infinities from callers outside GraphQL, naming the field', () => {
      for (const bad of [NaN, Infinity, -Infinity]) {
        expect(() => checkSubmissionFilter({ scoreAtLeast: bad })).toThrow(BadInputError);
        expect(() => checkSubmissionFilter({ scoreAtMost: bad })).toThrow(/finite number/);
      }
      expect(checkSubmissionFilter({ scoreAtLeast: -0 })).toEqual({ scoreAtLeast: 0 });
    });
  });

  it('answers Submission.postedAt in UTC, null when never sent', async () => {
    const data = await dataOf(
      client,
      `{ a: submission(id: "${S3}") { postedAt } b: submission(id: "${S1}") { postedAt } }`,
    );
    expect(data).toEqual({ a: { postedAt: '2024-03-02T18:00:00.000Z' }, b: { postedAt: null } });
  });
});
