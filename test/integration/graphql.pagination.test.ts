// Connections: keyset pagination in every order, top-level and nested, never repeating
// or skipping a row (ties and NULLs included), with clear errors for bad page arguments.
import { describeEachDatabase } from '../support/databases';
import {
  commentEvent,
  dataOf,
  gid,
  graphqlClient,
  ingest,
  messageEvent,
  QueryData,
  conversationEvent,
  submissionEvent,
  SubmissionSpec,
} from '../support/graphql-fixtures';

const COURSE = gid(700);
const OTHER_COURSE = gid(701);

// Ids on two shards, so that numeric order (30000000000001 < 200000000000001) differs
// from text order; scores and times with ties and NULLs.
const SPECS: SubmissionSpec[] = Array.from({ length: 25 }, (_, i) => ({
  id: i % 2 === 0 ? String(3n * 10n ** 13n + BigInt(i)) : String(20n * 10n ** 13n + BigInt(i)),
  courseId: i < 22 ? COURSE : OTHER_COURSE,
  score: i % 5 === 0 ? null : (i * 7) % 4,
  submittedAt: i % 4 === 0 ? null : `2024-03-0${1 + (i % 3)}T12:00:00.000Z`,
  updatedAt: i % 6 === 0 ? null : `2024-03-1${i % 2}T08:30:00.000Z`,
  eventTime: '2024-03-05T00:00:00.000Z',
}));

type Row = { id: string; score: number | null; submittedAt: string | null; updatedAt: string | null };
const FIELDS = { ID: null, SCORE: 'score', SUBMITTED_AT: 'submittedAt', UPDATED_AT: 'updatedAt' } as const;

/** The order the API promises: the field (NULL lowest), then id, both in the direction. */
function expectedOrder(rows: Row[], field: keyof typeof FIELDS, direction: 'ASC' | 'DESC'): string[] {
  const key = FIELDS[field];
  const sign = direction === 'ASC' ? 1 : -1;
  const compareIds = (a: Row, b: Row) => (BigInt(a.id) < BigInt(b.id) ? -1 : BigInt(a.id) > BigInt(b.id) ? 1 : 0);
  return [...rows]
    .sort((a, b) => {
      if (key) {
        const va =
          a[key] === null ? null : typeof a[key] === 'number' ? (a[key] as number) : Date.parse(a[key] as string);
        const vb =
          b[key] === null ? null : typeof b[key] === 'number' ? (b[key] as number) : Date.parse(b[key] as string);
        if (va !== vb) {
          if (va === null) return -sign;
          if (vb === null) return sign;
          return (va < vb ? -1 : 1) * sign;
        }
      }
      return compareIds(a, b) * sign;
    })
    .map((r) => r.id);
}

const PAGE_QUERY = `query($first: Int, $after: String, $orderBy: SubmissionOrder, $filter: SubmissionFilter) {
  submissions(first: $first, after: $after, orderBy: $orderBy, filter: $filter) {
    totalCount
    edges { cursor node { id score submittedAt updatedAt } }
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
  }
}`;

const NESTED_QUERY = `query($id: ID!, $first: Int, $after: String, $orderBy: SubmissionOrder) {
  course(id: $id) { submissions(first: $first, after: $after, orderBy: $orderBy) {
    totalCount nodes { id } pageInfo { hasNextPage hasPreviousPage endCursor }
  } }
}`;

describeEachDatabase('paginating connections', (db) => {
  let client: Awaited<ReturnType<typeof graphqlClient>>;
  let all: Row[];

  beforeAll(async () => {
    client = await graphqlClient(db());
    await ingest(db(), SPECS.map(submissionEvent));
    const page = await dataOf(client, PAGE_QUERY, { first: 100 });
    all = page.submissions.edges.map((e: { node: Row }) => e.node);
  });

  it('returns 20 items when first is omitted, and says more follow', async () => {
    const data = await dataOf(client, PAGE_QUERY, {});
    expect(data.submissions.edges).toHaveLength(20);
    expect(data.submissions.totalCount).toBe(25);
    expect(data.submissions.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: false });
  });

  it('orders ids numerically, not as text', () => {
    expect(all.map((r) => r.id)).toEqual(expectedOrder(all, 'ID', 'ASC'));
    expect(all[0].id).toBe('30000000000000');
    expect(all[all.length - 1].id).toBe('200000000000023');
  });

  for (const field of ['ID', 'SCORE', 'SUBMITTED_AT', 'UPDATED_AT'] as const) {
    for (const direction of ['ASC', 'DESC'] as const) {
      it(`walks every submission once by ${field} ${direction}, pages of 4, NULLs lowest and ties broken by id`, async () => {
        const seen: string[] = [];
        let after: string | null = null;
        let pages = 0;
        db().statements.length = 0;
        for (;;) {
          const data: QueryData = await dataOf(client, PAGE_QUERY, { first: 4, after, orderBy: { field, direction } });
          const { edges, pageInfo } = data.submissions;
          seen.push(...edges.map((e: { node: Row }) => e.node.id));
          expect(pageInfo.hasPreviousPage).toBe(after !== null);
          pages++;
          if (!pageInfo.hasNextPage) break;
          expect(pageInfo.endCursor).toBe(edges[edges.length - 1].cursor);
          after = pageInfo.endCursor;
        }
        expect(seen).toEqual(expectedOrder(all, field, direction));
        expect(pages).toBe(7);
        expect(db().statements.join('\n')).not.toMatch(/\bOFFSET\b/i);
      });

      it(`walks a course's submissions by ${field} ${direction} the same way, nested under the course`, async () => {
        const mine = all.filter((r) => SPECS.find((s) => s.id === r.id)!.courseId === COURSE);
        const seen: string[] = [];
        let after: string | null = null;
        for (;;) {
          const data: QueryData = await dataOf(client, NESTED_QUERY, {
            id: COURSE,
            first: 5,
            after,
            orderBy: { field, direction },
          });
          const connection = data.course.submissions;
          expect(connection.totalCount).toBe(22);
          seen.push(...connection.nodes.map((n: { id: string }) => n.id));
          if (!connection.pageInfo.hasNextPage) break;
          after = connection.pageInfo.endCursor;
        }
        expect(seen).toEqual(expectedOrder(mine, field, direction));
      });
    }
  }

  it('counts the whole filtered list in totalCount, whatever the page', async () => {
    const filter = { courseId: OTHER_COURSE };
    const data = await dataOf(client, PAGE_QUERY, { first: 1, filter });
    expect(data.submissions.totalCount).toBe(3);
    expect(data.submissions.edges).toHaveLength(1);
    const rest = await dataOf(client, PAGE_QUERY, { first: 10, filter, after: data.submissions.pageInfo.endCursor });
    expect(rest.submissions.totalCount).toBe(3);
    expect(rest.submissions.edges).toHaveLength(2);
    expect(rest.submissions.pageInfo).toMatchObject({ hasNextPage: false, hasPreviousPage: true });
  });

  it('answers an empty page with null cursors and no next page', async () => {
    const data = await dataOf(client, PAGE_QUERY, { first: 0 });
    expect(data.submissions.edges).toEqual([]);
    expect(data.submissions.pageInfo).toEqual({
      hasNextPage: true,
      hasPreviousPage: false,
      startCursor: null,
      endCursor: null,
    });
    const none = await dataOf(client, PAGE_QUERY, { filter: { courseId: gid(999999) } });
    expect(none.submissions).toMatchObject({
      totalCount: 0,
      edges: [],
      pageInfo: { hasNextPage: false, endCursor: null },
    });
  });

  it('refuses first above 100 with an error naming the argument', async () => {
    const res = await client.query(PAGE_QUERY, { first: 101 });
    expect(res.errors).toHaveLength(1);
    expect(res.errors![0].message).toMatch(/"first"/);
    expect(res.errors![0].message).toMatch(/100/);
    expect(res.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', argumentName: 'first' });
  });

  it('refuses a negative first', async () => {
    const res = await client.query(PAGE_QUERY, { first: -1 });
    expect(res.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', argumentName: 'first' });
  });

  it('refuses a cursor it did not make', async () => {
    for (const after of [
      'garbage',
      'eyJ4IjoxfQ',
      Buffer.from('[1,"submissions:ID:ASC",null,"12x"]').toString('base64url'),
    ]) {
      const res = await client.query(PAGE_QUERY, { after });
      expect(res.errors![0].message).toMatch(/Invalid argument "after": is not a cursor/);
      expect(res.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', argumentName: 'after' });
    }
  });

  it('refuses a cursor of another list or of another order', async () => {
    const scored = await dataOf(client, PAGE_QUERY, { first: 1, orderBy: { field: 'SCORE', direction: 'ASC' } });
    const otherOrder = await client.query(PAGE_QUERY, { after: scored.submissions.pageInfo.endCursor });
    expect(otherOrder.errors![0].message).toMatch(/another list or order/);

    const courses = await dataOf(client, '{ courses(first: 1) { pageInfo { endCursor } } }');
    const otherList = await client.query(PAGE_QUERY, { after: courses.courses.pageInfo.endCursor });
    expect(otherList.errors![0].message).toMatch(/another list or order \(courses\)/);
    expect(otherList.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', argumentName: 'after' });
  });
});

describeEachDatabase('paginating nested comments and messages', (db) => {
  let client: Awaited<ReturnType<typeof graphqlClient>>;

  beforeAll(async () => {
    client = await graphqlClient(db());
    const submissionId = gid(800);
    const conversationId = gid(900);
    await ingest(db(), [
      submissionEvent({ id: submissionId, courseId: COURSE }),
      // Ids grow with time in Canvas; they arrive out of order here.
      ...[5, 1, 4, 2, 3].map((n) =>
        commentEvent({ id: gid(8000 + n), submissionId, courseId: COURSE, createdAt: `2024-01-0${n}T00:00:00.000Z` }),
      ),
      conversationEvent({ id: conversationId }),
      ...[3, 1, 2].map((n) =>
        messageEvent({ id: gid(9000 + n), conversationId, authorId: gid(n), createdAt: `2024-02-0${n}T00:00:00.000Z` }),
      ),
    ]);
  });

  it("pages through a submission's comments oldest first", async () => {
    const query = `query($after: String) { submission(id: "${gid(800)}") { comments(first: 2, after: $after) {
      totalCount nodes { id createdAt } pageInfo { hasNextPage endCursor } } } }`;
    const seen: string[] = [];
    let after: string | null = null;
    for (;;) {
      const { submission }: QueryData = await dataOf(client, query, { after });
      expect(submission.comments.totalCount).toBe(5);
      seen.push(...submission.comments.nodes.map((n: { id: string }) => n.id));
      if (!submission.comments.pageInfo.hasNextPage) break;
      after = submission.comments.pageInfo.endCursor;
    }
    expect(seen).toEqual([1, 2, 3, 4, 5].map((n) => gid(8000 + n)));
  });

  it("pages through a conversation's messages oldest first", async () => {
    const first = await dataOf(
      client,
      `{ conversation(id: "${gid(900)}") { messageCount messages(first: 2) {
      totalCount nodes { id } pageInfo { hasNextPage endCursor } } } }`,
    );
    expect(first.conversation.messageCount).toBe(3);
    expect(first.conversation.messages.nodes.map((n: { id: string }) => n.id)).toEqual([gid(9001), gid(9002)]);
    const after = first.conversation.messages.pageInfo.endCursor;
    const rest = await dataOf(
      client,
      `query($after: String) { conversation(id: "${gid(900)}") { messages(first: 2, after: $after) {
      nodes { id } pageInfo { hasNextPage } } } }`,
      { after },
    );
    expect(rest.conversation.messages).toEqual({ nodes: [{ id: gid(9003) }], pageInfo: { hasNextPage: false } });
  });
});
