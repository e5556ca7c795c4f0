// Acceptance of the reporting aggregates through the API, on both databases: a generated
// course (34 students, 6 assignments, grades, late and missing work, resubmissions,
// comments across the daylight-saving changes of Chicago and Berlin, conversations; see
// test/support/reporting-course.ts) is sent as Canvas sends it, over HTTP to POST /events
// by concurrent clients in batches, to a real listening service. Then submissionStats,
// commentStats, messageStats and Course.stats are asked over HTTP POST /graphql, page by
// page with `after`, and compared with what the test computes in plain TypeScript from
// the events it generated; Assignment.stats' function is called directly. Bad arguments
// and over-limit queries are refused, naming the argument or the limit.
import { createContext } from '../../src/graphql/context';
import { assignmentStats, submissionStatsFilter } from '../../src/domains/reporting';
import { aggregate, submissionDataset } from '../../src/reporting';
import { CanvasSender } from '../support/canvas-sender';
import { describeEachDatabase, TestDatabase } from '../support/databases';
import { gid } from '../support/graphql-fixtures';
import { Answer, graphql, LiveServer, startLiveServer } from '../support/live-server';
import {
  ASSIGNMENTS,
  closeEnough,
  COMMENT_FIELDS,
  COURSE,
  emptyKey,
  expectedActivity,
  expectedSubmissionStats,
  generate,
  MESSAGE_FIELDS,
  OTHER_COURSE,
  submissionStatsOf,
  TEACHER,
} from '../support/reporting-course';
import type { CommentGroupBy, MessageGroupBy, SubmissionGroupBy } from '../../src/reporting';

jest.setTimeout(180_000);

const KEY =
  'key { courseId assignmentId userId submissionId conversationId authorId workflowState submissionType late missing period }';
const SUBMISSION_STATS = `${KEY} count submittedCount gradedCount lateCount missingCount score { count sum avg min max stddev } firstSubmittedAt lastSubmittedAt`;
const ACTIVITY_STATS = `${KEY} count first last`;

/** What the API answers for these values: dates as ISO strings, like every DateTime. */
const asJson = <T>(value: T): unknown => JSON.parse(JSON.stringify(value));

interface StatsPageAnswer {
  nodes: unknown[];
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; endCursor: string | null };
  totalCount: number;
}

function dataOf(answer: Answer) {
  if (answer.status !== 200 || answer.body?.errors)
    throw new Error(`GraphQL ${answer.status}: ${JSON.stringify(answer.body)}`);
  return answer.body.data;
}

describeEachDatabase('reporting aggregates through GraphQL', (db: () => TestDatabase) => {
  const { events, states, comments, messages } = generate();
  const courseStates = states.filter((s) => s.courseId === COURSE);
  let server: LiveServer;

  beforeAll(async () => {
    server = await startLiveServer(db().dataSource);
    const sender = new CanvasSender({
      baseUrl: () => server.url,
      events,
      clients: 4,
      batchSizes: [40, 1, 25, 3, 60],
      deadlineMs: 150_000,
    });
    const report = await sender.run();
    expect(report.unexpected).toEqual([]);
    expect(report.acked.size).toBe(events.length);
  });

  afterAll(async () => {
    await server?.close();
  });

  /** Every group of a stats query, following endCursor page by page with `first`. */
  async function allPages(field: string, args: string, selection: string, first: number): Promise<unknown[]> {
    const nodes: unknown[] = [];
    let after: string | null = null;
    for (let pages = 0; pages < 500; pages++) {
      const query = `query($after: String) { ${field}(${args}, first: ${first}, after: $after) {
        nodes { ${selection} } pageInfo { hasNextPage hasPreviousPage endCursor } totalCount } }`;
      const page: StatsPageAnswer = dataOf(await graphql(server.url, query, { after }))[field];
      expect(page.nodes.length).toBeLessThanOrEqual(first);
      expect(page.pageInfo.hasPreviousPage).toBe(after !== null);
      nodes.push(...page.nodes);
      if (!page.pageInfo.hasNextPage) {
        expect(page.totalCount).toBe(nodes.length);
        return nodes;
      }
      expect(page.nodes).toHaveLength(first);
      after = page.pageInfo.endCursor;
    }
    throw new Error('no last page');
  }

  it('generated what the acceptance asks for', () => {
    expect(new Set(courseStates.map((s) => s.userId)).size).toBeGreaterThanOrEqual(30);
    expect(new Set(courseStates.map((s) => s.assignmentId)).size).toBeGreaterThanOrEqual(5);
    expect(courseStates.filter((s) => s.late).length).toBeGreaterThan(10);
    expect(courseStates.filter((s) => s.missing).length).toBeGreaterThan(10);
    expect(courseStates.filter((s) => s.score !== null).length).toBeGreaterThan(50);
    expect(messages.length).toBeGreaterThan(50);
  });

  const submissionCases: Array<[SubmissionGroupBy[], string, number]> = [
    [[], 'UTC', 20],
    [['ASSIGNMENT'], 'UTC', 4],
    [['USER'], 'America/Chicago', 7],
    [['ASSIGNMENT', 'LATE'], 'UTC', 5],
    [['WORKFLOW_STATE', 'SUBMISSION_TYPE'], 'UTC', 3],
    [['LATE', 'MISSING', 'WORKFLOW_STATE'], 'UTC', 2],
    [['MISSING', 'DAY'], 'America/Chicago', 6],
    [['DAY'], 'America/Chicago', 5],
    [['WEEK', 'ASSIGNMENT'], 'America/Chicago', 9],
    [['MONTH'], 'Europe/Berlin', 1],
  ];
  for (const [groupBy, zone, first] of submissionCases) {
    it(`submissionStats groupBy [${groupBy.join(', ')}] in ${zone}, ${first} a page`, async () => {
      const expected = asJson(expectedSubmissionStats(courseStates, groupBy, zone));
      const args = `filter: { courseId: "${COURSE}" }, groupBy: [${groupBy.join(', ')}], timeZone: "${zone}"`;
      const actual = await allPages('submissionStats', args, SUBMISSION_STATS, first);
      expect(closeEnough(actual, expected)).toEqual(expected);
    });
  }

  it('submissionStats filters like the submission lists (late, workflowStates, submittedSince)', async () => {
    const since = '2024-11-03T06:00:00.000Z';
    const chosen = courseStates.filter(
      (s) =>
        s.late === true &&
        ['graded', 'submitted'].includes(s.workflowState) &&
        s.submittedAt !== null &&
        Date.parse(s.submittedAt) >= Date.parse(since),
    );
    expect(chosen.length).toBeGreaterThan(3);
    const expected = asJson(expectedSubmissionStats(chosen, ['ASSIGNMENT']));
    const args = `filter: { courseId: "${COURSE}", late: true, workflowStates: ["submitted", "graded"], submittedSince: "${since}" }, groupBy: [ASSIGNMENT]`;
    expect(closeEnough(await allPages('submissionStats', args, SUBMISSION_STATS, 100), expected)).toEqual(expected);
  });

  it('the score and grading conditions of the contract, when the filter input offers them', async () => {
    // SubmissionFilter gains scoreAtLeast/AtMost and gradedSince/Before from another branch:
    // the stats filter already maps them; here they are given to it directly.
    const gradedSince = '2024-11-01T00:00:00.000Z';
    const chosen = courseStates.filter(
      (s) => s.score !== null && s.score >= 20 && s.score <= 80 && s.gradedAt !== null && s.gradedAt >= gradedSince,
    );
    expect(chosen.length).toBeGreaterThan(3);
    const filter = submissionStatsFilter({
      courseId: COURSE,
      scoreAtLeast: 20,
      scoreAtMost: 80,
      gradedSince: new Date(gradedSince),
      gradedBefore: new Date('2030-01-01T00:00:00Z'),
    });
    const page = await aggregate(db().dataSource, submissionDataset, { filter, groupBy: ['LATE'] });
    const expected = expectedSubmissionStats(chosen, ['LATE']);
    expect(closeEnough(page.nodes, expected)).toEqual(expected);
  });

  it('commentStats filters by assignment and author; messageStats by conversation, author and time', async () => {
    const assignmentOf = new Map(states.map((s) => [s.id, s.assignmentId]));
    const author = comments.find((c) => c.authorId !== TEACHER)!.authorId;
    const assignment = assignmentOf.get(comments.find((c) => c.authorId === author)!.submissionId)!;
    const chosenComments = comments.filter(
      (c) => c.authorId === author && assignmentOf.get(c.submissionId) === assignment,
    );
    expect(chosenComments.length).toBeGreaterThan(0);
    const commentArgs = `filter: { assignmentId: "${assignment}", authorId: "${author}" }, groupBy: [SUBMISSION]`;
    expect(await allPages('commentStats', commentArgs, ACTIVITY_STATS, 100)).toEqual(
      asJson(expectedActivity(chosenComments, ['SUBMISSION'], COMMENT_FIELDS, (c) => c, 'UTC')),
    );

    const { conversationId, authorId } = messages[0];
    const [since, before] = ['2024-10-25T00:00:00.000Z', '2024-11-08T00:00:00.000Z'];
    const chosenMessages = messages.filter(
      (m) =>
        m.conversationId === conversationId && m.authorId === authorId && m.createdAt >= since && m.createdAt < before,
    );
    expect(chosenMessages.length).toBeGreaterThan(0);
    const messageArgs = `filter: { conversationId: "${conversationId}", authorId: "${authorId}", createdSince: "${since}", createdBefore: "${before}" }`;
    expect(await allPages('messageStats', messageArgs, ACTIVITY_STATS, 100)).toEqual(
      asJson(expectedActivity(chosenMessages, [], MESSAGE_FIELDS, (m) => m, 'UTC')),
    );
  });

  const commentCases: Array<[CommentGroupBy[], string, number]> = [
    [['DAY'], 'America/Chicago', 4],
    [['AUTHOR', 'DAY'], 'America/Chicago', 13],
    [['WEEK'], 'Europe/Berlin', 2],
    [['SUBMISSION'], 'UTC', 25],
    [['COURSE'], 'UTC', 20],
  ];
  for (const [groupBy, zone, first] of commentCases) {
    it(`commentStats groupBy [${groupBy.join(', ')}] in ${zone}, ${first} a page`, async () => {
      const expected = asJson(expectedActivity(comments, groupBy, COMMENT_FIELDS, (c) => c, zone));
      const args = `filter: { courseId: "${COURSE}" }, groupBy: [${groupBy.join(', ')}], timeZone: "${zone}"`;
      expect(await allPages('commentStats', args, ACTIVITY_STATS, first)).toEqual(expected);
    });
  }

  it("commentStats per Chicago day: 3 November 2024 is 25 hours long and holds both of its ends' comments", async () => {
    const data = dataOf(
      await graphql(
        server.url,
        `
          {
            commentStats(
              filter: { createdSince: "2024-11-03T00:00:00Z", createdBefore: "2024-11-05T00:00:00Z" }
              groupBy: [DAY]
              timeZone: "America/Chicago"
              first: 10
            ) {
              nodes {
                key {
                  period
                }
                count
              }
            }
          }
        `,
      ),
    );
    const periods = data.commentStats.nodes.map((n: { key: { period: string } }) => n.key.period);
    // Local midnights: 2 Nov (CDT, −5), 3 Nov (CDT, −5), 4 Nov (CST, −6).
    expect(periods).toEqual(['2024-11-02T05:00:00.000Z', '2024-11-03T05:00:00.000Z', '2024-11-04T06:00:00.000Z']);
    const inWindow = comments.filter(
      (c) => c.createdAt >= '2024-11-03T00:00:00.000Z' && c.createdAt < '2024-11-05T00:00:00.000Z',
    );
    const expected = asJson(
      expectedActivity(inWindow, ['DAY'], COMMENT_FIELDS, (c) => c, 'America/Chicago').map((g) => ({
        key: { period: g.key.period },
        count: g.count,
      })),
    );
    expect(data.commentStats.nodes).toEqual(expected);
  });

  const messageCases: Array<[MessageGroupBy[], string, number]> = [
    [['CONVERSATION'], 'UTC', 4],
    [['AUTHOR', 'WEEK'], 'America/Chicago', 7],
    [['DAY'], 'America/Chicago', 100],
  ];
  for (const [groupBy, zone, first] of messageCases) {
    it(`messageStats groupBy [${groupBy.join(', ')}] in ${zone}, ${first} a page`, async () => {
      const expected = asJson(expectedActivity(messages, groupBy, MESSAGE_FIELDS, (m) => m, zone));
      const args = `groupBy: [${groupBy.join(', ')}], timeZone: "${zone}"`;
      expect(await allPages('messageStats', args, ACTIVITY_STATS, first)).toEqual(expected);
    });
  }

  it('Course.stats: every course of the page in one aggregate statement, an unknown-to-submissions course empty', async () => {
    db().statements.length = 0;
    const data = dataOf(
      await graphql(server.url, `{ courses(first: 100) { nodes { id stats { ${SUBMISSION_STATS} } } } }`),
    );
    const aggregates = db().statements.filter((sql) => /GROUP BY/i.test(sql));
    expect(aggregates).toHaveLength(1);
    const byId = new Map(data.courses.nodes.map((c: { id: string; stats: unknown }) => [c.id, c.stats]));
    for (const course of [COURSE, OTHER_COURSE]) {
      const expected = asJson(
        expectedSubmissionStats(
          states.filter((s) => s.courseId === course),
          ['COURSE'],
        )[0],
      );
      expect(closeEnough(byId.get(course), expected)).toEqual(expected);
    }
  });

  it('assignmentStats(ctx, id): the figures of submissionStats for one assignment, batched into one statement', async () => {
    const ctx = createContext(db().dataSource);
    const unknown = gid(8_399_999);
    db().statements.length = 0;
    const answers = await Promise.all([...ASSIGNMENTS, unknown].map((id) => assignmentStats(ctx, id)));
    expect(db().statements).toHaveLength(1);
    ASSIGNMENTS.forEach((id, i) => {
      const expected = expectedSubmissionStats(
        states.filter((s) => s.assignmentId === id),
        ['ASSIGNMENT'],
      )[0];
      expect(closeEnough(answers[i], expected)).toEqual(expected);
    });
    expect(answers[ASSIGNMENTS.length]).toEqual(submissionStatsOf({ ...emptyKey(), assignmentId: unknown }, []));
    expect(answers[ASSIGNMENTS.length].score).toEqual({
      count: 0,
      sum: null,
      avg: null,
      min: null,
      max: null,
      stddev: null,
    });
  });

  it('NumberStats over no values: count 0 and every other field null', async () => {
    const data = dataOf(
      await graphql(
        server.url,
        `{ submissionStats(filter: { courseId: "${gid(8_999_999)}" }) { nodes { count score { count sum avg min max stddev } } } }`,
      ),
    );
    expect(data.submissionStats.nodes).toEqual([
      { count: 0, score: { count: 0, sum: null, avg: null, min: null, max: null, stddev: null } },
    ]);
  });

  const refusals: Array<[string, string, RegExp]> = [
    ['submissionStats(timeZone: "America/Chikago")', 'timeZone', /not an IANA time zone/],
    ['submissionStats(groupBy: [ASSIGNMENT, USER, ASSIGNMENT])', 'groupBy[2]', /listed twice/],
    ['commentStats(groupBy: [DAY, WEEK])', 'groupBy[1]', /at most one of DAY, WEEK and MONTH/],
    ['messageStats(first: 101)', 'first', /between 0 and 100/],
    ['submissionStats(first: -1)', 'first', /between 0 and 100/],
    ['submissionStats(after: "bm9wZQ")', 'after', /not a cursor of this list/],
    ['submissionStats(filter: { courseId: "abc" })', 'filter.courseId', /./],
    ['commentStats(filter: { authorId: "1.5" })', 'filter.authorId', /./],
  ];
  for (const [field, argument, message] of refusals) {
    it(`refuses ${field} with BAD_USER_INPUT naming ${argument}`, async () => {
      const answer = await graphql(server.url, `{ ${field} { nodes { count } } }`);
      expect(answer.body.data).toBeNull();
      expect(answer.body.errors).toHaveLength(1);
      expect(answer.body.errors[0].extensions).toEqual({ code: 'BAD_USER_INPUT', argumentName: argument });
      expect(answer.body.errors[0].message).toMatch(message);
    });
  }

  it('refuses a huge time zone name without echoing it whole', async () => {
    const answer = await graphql(
      server.url,
      `{ submissionStats(timeZone: "${'Europe/'.repeat(2000)}") { nodes { count } } }`,
    );
    expect(answer.body.errors[0].extensions).toEqual({ code: 'BAD_USER_INPUT', argumentName: 'timeZone' });
    expect(answer.body.errors[0].message.length).toBeLessThan(300);
  });

  it('refuses a cursor of another grouping or time zone', async () => {
    const first = dataOf(
      await graphql(
        server.url,
        `
          {
            submissionStats(groupBy: [DAY], timeZone: "UTC", first: 1) {
              pageInfo {
                endCursor
              }
            }
          }
        `,
      ),
    );
    const cursor = first.submissionStats.pageInfo.endCursor;
    const other = await graphql(
      server.url,
      `{ submissionStats(groupBy: [DAY], timeZone: "America/Chicago", after: "${cursor}") { nodes { count } } }`,
    );
    expect(other.body.errors[0].extensions).toEqual({ code: 'BAD_USER_INPUT', argumentName: 'after' });
    expect(other.body.errors[0].message).toMatch(/another grouping, time zone or dataset/);
  });

  it('charges every stats page by its first, and Course.stats per course: over the limit is refused before any statement', async () => {
    const limited = await startLiveServer(db().dataSource, { GRAPHQL_MAX_COST: '250' });
    try {
      // 1 + 100 × (1 + 1 + 1) = 301: the page's nodes, each with its key and score.
      const page = `{ submissionStats(groupBy: [USER], first: 100) { nodes { key { userId } count score { avg } } } }`;
      // 1 + 100 × (1 + 20) = 2,101: each course's stats is one aggregate, charged like a count.
      const courses = `{ courses(first: 100) { nodes { id stats { count } } } }`;
      for (const query of [page, courses]) {
        db().statements.length = 0;
        const answer = await graphql(limited.url, query);
        expect(answer.status).toBe(400);
        expect(answer.body.errors[0].extensions).toMatchObject({
          code: 'GRAPHQL_VALIDATION_FAILED',
          limit: { name: 'cost', max: 250 },
        });
        expect(db().statements).toEqual([]);
      }
      // Within the limit: 1 + 40 × 3 = 121, and 1 + 10 × 21 = 211.
      expect(
        (
          await graphql(
            limited.url,
            '{ submissionStats(groupBy: [USER], first: 40) { nodes { key { userId } count score { avg } } } }',
          )
        ).status,
      ).toBe(200);
      expect((await graphql(limited.url, '{ courses(first: 10) { nodes { id stats { count } } } }')).status).toBe(200);
    } finally {
      await limited.close();
    }
  });
});
