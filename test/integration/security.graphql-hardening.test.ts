// Hardening of the GraphQL API against expensive queries, on both databases: the cost
// check fails closed and counts fragments as often as they are spread (a query of a few
// hundred bytes cannot run for seconds), every list is charged by a bound and returns no
// more than it, counts are charged, the filters the API offers are indexed, an execution
// past GRAPHQL_TIMEOUT_MS is stopped and answered at once, a persisted query whose hash
// does not match is the client's mistake, and error detail is opt-in (NODE_ENV unset
// means production).
import { Writable } from 'node:stream';
import type { Express } from 'express';
import { buildSchema, OperationDefinitionNode, parse } from 'graphql';
import request from 'supertest';
import { loadConfig } from '../../src/config';
import { graphqlSchema } from '../../src/graphql/schema';
import { operationCost, queryLimitsPlugin, unboundedLists } from '../../src/graphql/limits';
import { createLogger } from '../../src/logger';
import { resolvers } from '../../src/modules';
import { describeEachDatabase } from '../support/databases';
import {
  commentEvent,
  conversationEvent,
  gid,
  graphqlClient,
  ingest,
  messageEvent,
  submissionEvent,
} from '../support/graphql-fixtures';
import { authorization, graphqlPost, securedApp } from '../support/security';

const READ = authorization('read');
const THREE_FULL_PAGES =
  'b: courses(first: 100) { nodes { submissions(first: 100) { nodes { comments(first: 100) { nodes { id } } } } } }';
const COURSE = gid(900);
const SUBMISSION = gid(9001);
const CONVERSATION = gid(9100);
const STATES = 30;
const PARTICIPANTS = 120;
const ATTACHMENTS = 150;
/** Submissions of the course besides SUBMISSION, each with COMMENTS_EACH comments. */
const OTHER_SUBMISSIONS = 40;
const COMMENTS_EACH = 3;

class Capture extends Writable {
  readonly lines: Array<Record<string, unknown>> = [];
  override _write(chunk: Buffer, _encoding: string, done: () => void): void {
    for (const line of chunk.toString('utf8').split('\n').filter(Boolean)) this.lines.push(JSON.parse(line));
    done();
  }
}

/**
 * The query of the report: nested submissions → comments → submission → comments, and
 * fragments F0..F14 each spreading the previous one twice (2^14 spreads of F0).
 */
function fragmentBomb(): string {
  const fragments = ['fragment F0 on Submission { id comments { nodes { id } } }'];
  for (let i = 1; i < 15; i++) fragments.push(`fragment F${i} on Submission { ...F${i - 1} ...F${i - 1} }`);
  return `{ submissions { nodes { comments { nodes { submission { ...F14 comments { nodes { id } } } } } } } }
    ${fragments.join(' ')}`;
}

/** Statements that read the read models (what execution would run). */
const readModelStatements = (statements: string[]) =>
  statements.filter((sql) => /\b(submissions|submission_comments|submission_versions|courses)\b/.test(sql));

describeEachDatabase('GraphQL hardening', (db) => {
  let app: Express;

  beforeAll(async () => {
    const events = [];
    for (let i = 0; i < STATES; i++) {
      const at = new Date(Date.UTC(2024, 0, 1, 0, i)).toISOString();
      events.push(submissionEvent({ id: SUBMISSION, courseId: COURSE, score: i, updatedAt: at, late: i % 2 === 0 }));
    }
    for (let s = 0; s < OTHER_SUBMISSIONS; s++) {
      const id = gid(10_000 + s);
      events.push(submissionEvent({ id, courseId: COURSE, late: s % 2 === 0, missing: s % 3 === 0 }));
      for (let c = 0; c < COMMENTS_EACH; c++) {
        events.push(commentEvent({ id: gid(20_000 + s * COMMENTS_EACH + c), submissionId: id, courseId: COURSE }));
      }
    }
    const attachmentIds = Array.from({ length: ATTACHMENTS }, (_, i) => String(30_000 + i));
    events.push(commentEvent({ id: gid(9002), submissionId: SUBMISSION, courseId: COURSE, attachmentIds }));
    events.push(conversationEvent({ id: CONVERSATION }));
    for (let p = 0; p < PARTICIPANTS; p++) {
      events.push(messageEvent({ id: gid(40_000 + p), conversationId: CONVERSATION, authorId: gid(50_000 + p) }));
    }
    await ingest(db(), events);
    app = await securedApp(db());
  });

  describe('the cost check fails closed', () => {
    it('refuses the fragment-spreading query with 400 naming the cost, and runs none of it', async () => {
      db().statements.length = 0;
      const res = await graphqlPost(app, fragmentBomb(), READ);
      expect(res.status).toBe(400);
      expect(res.body.errors).toHaveLength(1);
      expect(res.body.errors[0].message).toMatch(/^Query refused: its cost is \d+; the cost limit is 50000\./);
      expect(res.body.errors[0].extensions.limit).toMatchObject({ name: 'cost', max: 50000 });
      // Every spread of F0 counts: 2^14 of them, each a page of comments.
      expect(res.body.errors[0].extensions.limit.value).toBeGreaterThan(2 ** 14 * 20);
      expect(res.body.data).toBeUndefined();
      expect(readModelStatements(db().statements)).toEqual([]);
    });

    it('counts fragments given page sizes by variables, each time they are spread', async () => {
      const query = `query Q($n: Int) { courses(first: $n) { ...C ...C ...C } }
        fragment C on CourseConnection { nodes { submissions(first: $n) { nodes { id course { id } } } } }`;
      const res = await graphqlPost(app, query, READ, { n: 100 });
      expect(res.status).toBe(400);
      // Each course: 1, and per spread its submissions: 1 + 100 × (1 + 1).
      expect(res.body.errors[0].extensions.limit).toEqual({ name: 'cost', value: 1 + 100 * (1 + 3 * 201), max: 50000 });
      expect((await graphqlPost(app, query, READ, { n: 10 })).status).toBe(200);
    });

    it('keeps a cost too large for a number over the limit, even under a list of none', async () => {
      // 2^1100 spreads of F0: Infinity as a double, and NaN once multiplied by first: 0.
      // Too many tokens for a request (below); the walk must still stay finite.
      const fragments = ['fragment F0 on Course { submissions(first: 1) { totalCount } }'];
      for (let i = 1; i <= 1100; i++) fragments.push(`fragment F${i} on Course { ...F${i - 1} ...F${i - 1} }`);
      const schema = await graphqlSchema(resolvers);
      const costOf = (query: string) => {
        const document = parse(query);
        const operation = document.definitions[0] as OperationDefinitionNode;
        return operationCost({ schema, document, operation, variables: {} });
      };
      expect(costOf(`{ a: courses(first: 0) { nodes { ...F1100 } } ${THREE_FULL_PAGES} } ${fragments.join(' ')}`)).toBe(
        1 + 1020201,
      );
      expect(costOf(`{ courses(first: 1) { nodes { ...F1100 } } } ${fragments.join(' ')}`)).toBe(
        Number.MAX_SAFE_INTEGER,
      );
    });

    it('refuses a query of more than 5000 tokens before validating it', async () => {
      const fields = Array.from({ length: 5000 }, () => 'id').join(' ');
      const res = await graphqlPost(app, `{ courses { nodes { ${fields} } } }`, READ);
      expect(res.status).toBe(400);
      expect(res.body.errors[0]).toMatchObject({
        // graphql-js's own words ("more that" in 16.x).
        message: expect.stringMatching(/^Syntax Error: Document contains more th.. 5000 tokens\. Parsing aborted\.$/),
        extensions: { code: 'GRAPHQL_PARSE_FAILED' },
      });
    });

    it('still leaves bad variable values to GraphQL, which names the variable', async () => {
      const res = await graphqlPost(app, 'query Q($n: Int) { courses(first: $n) { totalCount } }', READ, { n: 'ten' });
      expect(res.status).toBe(400);
      expect(res.body.errors[0].message).toMatch(/Variable "\$n" got invalid value "ten"/);
    });
  });

  describe('every list is charged by a bound and returns no more', () => {
    it('gives the first 20 states of a history by default, and as many as `first` asks', async () => {
      const res = await graphqlPost(
        app,
        `{ submission(id: "${SUBMISSION}") { a: history { score } b: history(first: 25) { score } c: history(first: 1000) { score } } }`,
        READ,
      );
      expect(res.body.errors).toBeUndefined();
      const { a, b, c } = res.body.data.submission;
      expect(a.map((v: { score: number }) => v.score)).toEqual(Array.from({ length: 20 }, (_, i) => i));
      expect(b).toHaveLength(25);
      expect(c).toHaveLength(STATES);
    });

    it('refuses a history `first` above 1000, naming the argument', async () => {
      const res = await graphqlPost(
        app,
        `{ submission(id: "${SUBMISSION}") { history(first: 1001) { score } } }`,
        READ,
      );
      expect(res.body.errors[0]).toMatchObject({
        message: 'Invalid argument "first": must be between 0 and 1000, got 1001',
        extensions: { code: 'BAD_USER_INPUT' },
      });
    });

    it('gives the first 100 participants by default, and all when asked', async () => {
      const query = `{ conversation(id: "${CONVERSATION}") { participantIds all: participantIds(first: 1000) } }`;
      const res = await graphqlPost(app, query, READ);
      expect(res.body.errors).toBeUndefined();
      const { participantIds, all } = res.body.data.conversation;
      expect(participantIds).toHaveLength(100);
      expect(all).toHaveLength(PARTICIPANTS + 1); // the authors and the starter
      expect(participantIds).toEqual(all.slice(0, 100));
    });

    it('caps attachmentIds at 100', async () => {
      const res = await graphqlPost(
        app,
        `{ submission(id: "${SUBMISSION}") { comments { nodes { attachmentIds } } } }`,
        READ,
      );
      expect(res.body.errors).toBeUndefined();
      expect(res.body.data.submission.comments.nodes[0].attachmentIds).toHaveLength(100);
    });

    it('charges plain lists and counts by their bounds', async () => {
      const small = await securedApp(db(), { env: { GRAPHQL_MAX_COST: '100' } });
      const costOf = async (query: string) => {
        const res = await graphqlPost(small, query, READ);
        return res.status === 200 ? 'ran' : res.body.errors[0].extensions.limit.value;
      };
      // The submission, and 1000 states of one object each.
      expect(await costOf(`{ submission(id: "${SUBMISSION}") { history(first: 1000) { score } } }`)).toBe(1001);
      expect(await costOf(`{ submission(id: "${SUBMISSION}") { history(first: 99) { score } } }`)).toBe('ran');
      // A conversation, 1000 users, and 1000 ids at 20 to an object.
      expect(
        await costOf(
          `{ conversation(id: "${CONVERSATION}") { participants(first: 1000) { id } participantIds(first: 1000) } }`,
        ),
      ).toBe(1 + 1000 + 50);
      // A count costs a page of rows (20), once per connection; so does messageCount.
      expect(
        await costOf('{ s1: submissions(first: 0) { totalCount } s2: submissions(first: 0) { totalCount } }'),
      ).toBe('ran');
      expect(
        await costOf(
          '{ a: submissions(first: 0) { totalCount } b: submissions(first: 0) { totalCount } c: submissions(first: 0) { totalCount } d: submissions(first: 0) { totalCount } e: submissions(first: 0) { totalCount } }',
        ),
      ).toBe(5 * 21);
      expect(await costOf(`{ conversations(first: 5) { nodes { messageCount } } }`)).toBe(1 + 5 * 21);
      // A top-level aggregate reads every row it groups, whatever page of groups it returns:
      // charged a count besides its groups, as Course.stats is (one group was 2, so any
      // number of aliased whole-table GROUP BYs fit under the limit).
      const stats = ['submissionStats', 'commentStats', 'messageStats', 'submissionStats', 'commentStats'];
      expect(
        await costOf(`{ ${stats.map((field, i) => `s${i}: ${field}(first: 1) { nodes { count } }`).join(' ')} }`),
      ).toBe(5 * (20 + 2));
      expect(await costOf('{ submissionStats(first: 1) { nodes { count } } }')).toBe('ran');
    });

    it('has a bound for every list of the schema, and refuses to start with a list that has none', async () => {
      expect(unboundedLists(await graphqlSchema(resolvers))).toEqual([]);
      const schema = buildSchema('type Query { names: [String!]! }');
      expect(unboundedLists(schema)).toEqual(['Query.names']);
      const plugin = queryLimitsPlugin({ maxDepth: 10, maxAliases: 10, maxCost: 10 });
      await expect(
        plugin.serverWillStart!({ schema } as Parameters<NonNullable<typeof plugin.serverWillStart>>[0]),
      ).rejects.toThrow('GraphQL lists without a cost bound: Query.names');
    });
  });

  it('indexes every filter the API offers: each filtered column leads an index', async () => {
    const runner = db().dataSource.createQueryRunner();
    try {
      const filtered: Array<[string, string[]]> = [
        ['submissions', ['course_id', 'assignment_id', 'user_id', 'workflow_state', 'late', 'missing']],
        ['submissions', ['submitted_at', 'updated_at']],
        ['resource_links', ['context_type', 'tool_id', 'workflow_state']],
        ['conversations', ['updated_at']],
        ['conversation_participants', ['user_id']],
        ['events', ['name', 'status', 'event_time']],
        ['courses', ['account_id']],
        ['users', ['lti_user_id']],
      ];
      const unindexed: string[] = [];
      for (const [table, columns] of filtered) {
        const leading = new Set((await runner.getTable(table))!.indices.map((index) => index.columnNames[0]));
        for (const column of columns) if (!leading.has(column)) unindexed.push(`${table}.${column}`);
      }
      expect(unindexed).toEqual([]);
      // The course dashboard's counts: a course's late and missing submissions.
      const submissions = (await runner.getTable('submissions'))!.indices.map((i) => i.columnNames.join(','));
      expect(submissions).toEqual(expect.arrayContaining(['course_id,late,id', 'course_id,missing,id']));
    } finally {
      await runner.release();
    }
  });

  describe('the execution budget (GRAPHQL_TIMEOUT_MS)', () => {
    // Five levels, each waiting for the statement of the one above: tens of milliseconds at least.
    const SLOW = `{ courses(first: 10) { nodes { submissions(first: 100) { nodes { comments(first: 10) { nodes {
      submission { history(first: 50) { score } comments(first: 10) { nodes { attachmentIds } } } } } } } } } }`;

    const ROOMY = { GRAPHQL_MAX_COST: '10000000' };

    it('answers a query within the budget as usual', async () => {
      const res = await graphqlPost(await securedApp(db(), { env: ROOMY }), SLOW, READ);
      expect(res.body.errors).toBeUndefined();
      expect(res.body.data.courses.nodes[0].submissions.nodes.length).toBeGreaterThan(OTHER_SUBMISSIONS);
    });

    it('stops a query past its budget: 503 with one error naming the limit, and no statement after the answer', async () => {
      db().statements.length = 0;
      await graphqlPost(await securedApp(db(), { env: ROOMY }), SLOW, READ);
      const unhurried = readModelStatements(db().statements).length;

      const capture = new Capture();
      const hurried = await securedApp(db(), {
        env: { ...ROOMY, GRAPHQL_TIMEOUT_MS: '1' },
        logger: createLogger({ LOG_LEVEL: 'info', NODE_ENV: 'production' }, capture),
      });
      db().statements.length = 0;
      const res = await graphqlPost(hurried, SLOW, READ);
      const atAnswer = db().statements.length;
      expect(res.status).toBe(503);
      expect(res.body).toEqual({
        errors: [
          {
            message:
              'Query stopped: it ran longer than the time limit of 1 ms. Ask for fewer items or fewer nested lists, or narrow the filters.',
            extensions: { code: 'QUERY_TIMEOUT', limit: { name: 'time', value: expect.any(Number), max: 1 } },
          },
        ],
      });
      // The resolvers after the deadline did no work, and nothing runs on after the answer.
      expect(readModelStatements(db().statements).length).toBeLessThan(unhurried);
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(db().statements.length).toBe(atAnswer);
      const warnings = capture.lines.filter(
        (l) => l.msg === 'GraphQL query stopped at its time limit (GRAPHQL_TIMEOUT_MS)',
      );
      expect(warnings).toHaveLength(1);
      expect(capture.lines.filter((l) => (l.level as number) >= 50)).toEqual([]);
    });

    it('reads GRAPHQL_TIMEOUT_MS, 5000 ms by default', () => {
      expect(loadConfig({}).GRAPHQL_TIMEOUT_MS).toBe(5000);
      expect(loadConfig({ GRAPHQL_TIMEOUT_MS: '250' }).GRAPHQL_TIMEOUT_MS).toBe(250);
      expect(() => loadConfig({ GRAPHQL_TIMEOUT_MS: '0' })).toThrow(/GRAPHQL_TIMEOUT_MS/);
    });
  });

  describe('error detail', () => {
    it('answers a persisted query whose hash does not match with 400 BAD_REQUEST, logged without a stack', async () => {
      const capture = new Capture();
      const logged = await securedApp(db(), {
        logger: createLogger({ LOG_LEVEL: 'info', NODE_ENV: 'production' }, capture),
      });
      const res = await request(logged)
        .post('/graphql')
        .set({ 'Content-Type': 'application/json', ...READ })
        .send(
          JSON.stringify({
            query: '{ courses { totalCount } }',
            extensions: { persistedQuery: { version: 1, sha256Hash: 'a'.repeat(64) } },
          }),
        );
      expect(res.status).toBe(400);
      expect(res.body.errors).toEqual([
        { message: 'provided sha does not match query', extensions: { code: 'BAD_REQUEST' } },
      ]);
      const refusal = capture.lines.find((l) => l.msg === 'GraphQL request refused');
      expect(refusal).toMatchObject({ level: 30, reason: 'provided sha does not match query' });
      expect(JSON.stringify(capture.lines)).not.toMatch(/stack/);
    });

    it('masks internal errors and shows no stack when NODE_ENV is unset', async () => {
      expect(loadConfig({}).NODE_ENV).toBe('production');
      const unset = await graphqlClient(db(), { NODE_ENV: '' });
      const qr = db().dataSource;
      await qr.query('ALTER TABLE conversations RENAME TO conversations_away');
      try {
        const res = await unset.query('{ conversations { totalCount } }');
        expect(res.errors).toEqual([
          {
            message: 'Internal server error',
            locations: expect.any(Array),
            path: ['conversations'],
            extensions: { code: 'INTERNAL_SERVER_ERROR' },
          },
        ]);
      } finally {
        await qr.query('ALTER TABLE conversations_away RENAME TO conversations');
      }
    });
  });
});
