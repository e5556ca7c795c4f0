// The example queries in examples/*.graphql, for reporting tools, run against fixture
// data with their answers checked: an example that stops working fails here.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadExampleTabs } from '../../src/graphql/ide';
import { FIXTURES_DIR } from '../support/builders';
import { describeEachDatabase } from '../support/databases';
import { COURSE, example, EXAMPLES_DIR, SECTION, seedExampleData, TOOL } from '../support/example-data';
import { dataOf, gid, graphqlClient, ingest } from '../support/graphql-fixtures';

describeEachDatabase('the example queries for reporting tools', (db) => {
  let client: Awaited<ReturnType<typeof graphqlClient>>;

  beforeAll(async () => {
    client = await graphqlClient(db());
    await seedExampleData(db());
  });

  it('lists the late and the missing submissions of a course, most recently changed first', async () => {
    const data = await dataOf(client, example('late-and-missing-submissions'), { courseId: COURSE });
    expect(data.course).toEqual({
      id: COURSE,
      sisSourceId: '2017.100.101.101-1',
      late: {
        totalCount: 2,
        nodes: [
          {
            id: gid(1003),
            userId: gid(23),
            assignmentId: gid(11),
            workflowState: 'submitted',
            submittedAt: '2024-01-13T10:00:00.000Z',
            score: null,
            grade: null,
          },
          {
            id: gid(1001),
            userId: gid(21),
            assignmentId: gid(11),
            workflowState: 'graded',
            submittedAt: '2024-01-09T10:00:00.000Z',
            score: 7,
            grade: '7',
          },
        ],
      },
      missing: {
        totalCount: 1,
        nodes: [
          { id: gid(1002), userId: gid(22), assignmentId: gid(11), workflowState: 'unsubmitted', score: 0, grade: '0' },
        ],
      },
    });
  });

  it('lists the comments of each submission of a course, oldest first', async () => {
    const data = await dataOf(client, example('comments-per-submission'), { courseId: COURSE, after: null });
    const { edges, pageInfo } = data.course.submissions;
    const nodes = edges.map((edge: { node: unknown }) => edge.node);
    expect(pageInfo.hasNextPage).toBe(false);
    expect(nodes.map((n: { id: string }) => n.id)).toEqual([gid(1001), gid(1002), gid(1003), gid(1004)]);
    expect(nodes[0].comments).toEqual({
      totalCount: 2,
      nodes: [
        {
          id: gid(201),
          authorId: gid(21),
          createdAt: '2024-01-11T10:00:00.000Z',
          body: 'First',
          attachmentIds: [gid(5)],
        },
        {
          id: gid(202),
          authorId: gid(9),
          createdAt: '2024-01-11T12:00:00.000Z',
          body: 'Second',
          attachmentIds: [gid(54417187), gid(54417188)],
        },
      ],
    });
    expect(nodes[1].comments).toEqual({ totalCount: 0, nodes: [] });
    expect(nodes[2].comments.nodes.map((c: { body: string }) => c.body)).toEqual(['Noted']);
  });

  it('shows the most active conversations of a week, one that only received messages first', async () => {
    const data = await dataOf(client, example('conversation-activity'), {
      since: '2024-02-04T17:00:00-07:00',
      before: '2024-02-12T00:00:00Z',
    });
    expect(data.conversations).toEqual({
      totalCount: 2,
      nodes: [
        {
          id: gid(4004),
          courseId: null,
          startedById: null,
          createdAt: null,
          lastActivityAt: '2024-02-08T08:00:00.000Z',
          messageCount: 3,
          participantIds: [gid(9), gid(22)],
          messages: {
            nodes: [
              { id: gid(5003), authorId: gid(22), createdAt: '2024-02-06T08:00:00.000Z' },
              { id: gid(5004), authorId: gid(9), createdAt: '2024-02-07T08:00:00.000Z' },
              { id: gid(5005), authorId: gid(22), createdAt: '2024-02-08T08:00:00.000Z' },
            ],
          },
        },
        {
          id: gid(4001),
          courseId: null,
          startedById: gid(21),
          createdAt: '2024-02-01T08:00:00.000Z',
          lastActivityAt: '2024-02-10T08:00:00.000Z',
          messageCount: 2,
          participantIds: [gid(9), gid(21)],
          messages: {
            nodes: [
              { id: gid(5001), authorId: gid(21), createdAt: '2024-02-01T08:00:00.000Z' },
              { id: gid(5002), authorId: gid(9), createdAt: '2024-02-10T08:00:00.000Z' },
            ],
          },
        },
      ],
    });
    // What the example used to ask (updated in the period) misses the conversation that
    // only received messages: it has no updated_at.
    const byUpdate = await dataOf(
      client,
      `{ conversations(filter: { updatedSince: "2024-02-05T00:00:00Z", updatedBefore: "2024-02-12T00:00:00Z" }) { nodes { id } } }`,
    );
    expect(byUpdate.conversations.nodes).toEqual([{ id: gid(4001) }]);
  });

  it('finds the active resource links of a tool and their courses', async () => {
    const data = await dataOf(client, example('resource-links-of-a-tool'), { toolId: TOOL });
    expect(data.resourceLinks).toEqual({
      totalCount: 2,
      nodes: [
        {
          id: gid(3001),
          contextType: 'Course',
          contextId: COURSE,
          url: 'https://tool.example/launch/1',
          title: null,
          createdAt: '2024-01-02T00:00:00.000Z',
          course: { id: COURSE, title: null, courseCode: null },
        },
        {
          id: gid(3002),
          contextType: 'Assignment',
          contextId: gid(11),
          url: 'https://tool.example/launch/2',
          title: null,
          createdAt: '2024-01-03T00:00:00.000Z',
          course: null,
        },
      ],
    });
  });

  it('puts a course dashboard together in one request', async () => {
    const data = await dataOf(client, example('course-dashboard'), { courseId: COURSE });
    expect(data.course).toMatchObject({
      id: COURSE,
      localId: '565',
      sisSourceId: '2017.100.101.101-1',
      lastActivityAt: '2024-01-14T10:00:00.000Z',
      resourceLinks: {
        totalCount: 2,
        nodes: [
          { id: gid(3001), url: 'https://tool.example/launch/1', workflowState: 'active' },
          { id: gid(3003), url: expect.any(String), workflowState: 'deleted' },
        ],
      },
      late: { totalCount: 2 },
      missing: { totalCount: 1 },
    });
    expect(data.course.submissions.totalCount).toBe(4);
    expect(
      data.course.submissions.nodes.map((n: { id: string; comments: { totalCount: number } }) => [
        n.id,
        n.comments.totalCount,
      ]),
    ).toEqual([
      [gid(1003), 1],
      [gid(1002), 0],
      [gid(1001), 2],
      [gid(1004), 0],
    ]);
  });

  it('lists who has not submitted each published assignment of a course, soonest due first', async () => {
    const data = await dataOf(client, example('who-has-not-submitted'), { courseId: COURSE });
    const students = (...users: number[]) => ({
      totalCount: users.length,
      nodes: users.map((n) => ({ userId: gid(n), sectionId: SECTION })),
    });
    expect(data.course).toEqual({
      id: COURSE,
      assignments: {
        nodes: [
          // 21, 23, 24 submitted; 22's is missing (graded 0, never submitted); 25 has none.
          { id: gid(11), title: 'Essay 1', dueAt: '2024-01-10T23:59:00.000Z', unsubmittedStudents: students(22, 25) },
          {
            id: gid(12),
            title: 'Essay 2',
            dueAt: '2024-01-20T23:59:00.000Z',
            unsubmittedStudents: students(21, 22, 23, 24, 25),
          },
        ],
      },
    });
  });
});

// The IDE opens each example as a tab with the variables of its `# Variables:` comment: they
// must find data in the Canvas fixtures (what a first look at the service usually holds).
describeEachDatabase('the examples with the variables their comments give, on the Canvas fixtures', (db) => {
  it('each finds data', async () => {
    const client = await graphqlClient(db());
    const fixtures = readdirSync(FIXTURES_DIR).filter((name) => name.endsWith('.json'));
    // The text as Canvas sends it: parsing it here would round the 64-bit ids.
    await ingest(
      db(),
      fixtures.map((name) => readFileSync(join(FIXTURES_DIR, name), 'utf8')),
    );
    // The department questions' data (what the README says to load for them).
    await ingest(db(), readFileSync(join(EXAMPLES_DIR, 'department.ndjson'), 'utf8').trim().split('\n'));
    const tabs = loadExampleTabs(EXAMPLES_DIR);
    expect(tabs).toHaveLength(readdirSync(EXAMPLES_DIR).filter((name) => name.endsWith('.graphql')).length);
    for (const tab of tabs) {
      expect(tab.variables).toBeDefined();
      const data = await dataOf(client, tab.query, JSON.parse(tab.variables!));
      // An object with an id: the course, the conversations, the links (the fixtures hold
      // no late or missing submission, so that example finds its course and empty lists).
      // Aggregates answer keys (`"assignmentId":"…"`) and counts rather than objects.
      expect(`${/query (\w+)/.exec(tab.query)![1]}: ${JSON.stringify(data)}`).toMatch(/"\w*[iI]d":"\d+"|"count":[1-9]/);
    }
  });
});
