// What one GraphQL request may ask for: depth, aliases and cost are checked before
// anything runs, and a refusal is a 400 naming the limit and the figures. Also: one
// operation per request (no batching), CSRF prevention, JSON only, introspection switch.
import type { Express } from 'express';
import { getIntrospectionQuery } from 'graphql';
import request from 'supertest';
import { createTestDatabase, TestDatabase } from '../support/databases';
import { authorization, graphqlPost, securedApp } from '../support/security';

const READ = authorization('read');

/**
 * A query nesting fields exactly `depth` levels deep, walking courses → submissions →
 * course → submissions …, one item per list so only the depth is large.
 */
function queryOfDepth(depth: number): string {
  const cycle = ['submissions(first: 1)', 'nodes', 'course'];
  const path = ['courses(first: 1)', 'nodes'];
  while (path.length < depth - 1) path.push(cycle[(path.length - 2) % cycle.length]);
  const last = path[path.length - 1];
  const leaf = last.startsWith('courses') || last.startsWith('submissions') ? 'totalCount' : 'id';
  return `{ ${path.map((f) => `${f} {`).join(' ')} ${leaf} ${'}'.repeat(path.length)} }`;
}

function queryWithAliases(count: number): string {
  return `{ ${Array.from({ length: count }, (_, i) => `a${i}: courses(first: 1) { totalCount }`).join(' ')} }`;
}

const THREE_FULL_PAGES = `{ courses(first: 100) { nodes { submissions(first: 100) { nodes { comments(first: 100) { nodes { id } } } } } } }`;

describe('GraphQL limits', () => {
  let db: TestDatabase;
  let app: Express;

  beforeAll(async () => {
    db = await createTestDatabase('sqlite');
    app = await securedApp(db);
  });
  afterAll(() => db.drop());

  it('runs a query 12 levels deep, the default limit', async () => {
    const res = await graphqlPost(app, queryOfDepth(12), READ);
    expect(res.body.errors).toBeUndefined();
    expect(res.status).toBe(200);
  });

  it('refuses a query 13 levels deep with 400, naming the depth limit and both figures', async () => {
    const res = await graphqlPost(app, queryOfDepth(13), READ);
    expect(res.status).toBe(400);
    expect(res.body.errors[0].message).toBe('Query refused: it nests fields 13 levels deep; the depth limit is 12.');
    expect(res.body.errors[0].extensions).toMatchObject({
      code: 'GRAPHQL_VALIDATION_FAILED',
      limit: { name: 'depth', value: 13, max: 12 },
    });
  });

  it('follows fragments when measuring depth', async () => {
    const query = `query { courses(first: 1) { ...Deep } }
      fragment Deep on CourseConnection { nodes { submissions(first: 1) { nodes { course { submissions(first: 1) {
        nodes { course { submissions(first: 1) { nodes { course { submissions(first: 1) { totalCount } } } } } } } } } } } }`;
    const res = await graphqlPost(app, query, READ);
    expect(res.status).toBe(400);
    expect(res.body.errors[0].extensions.limit).toEqual({ name: 'depth', value: 13, max: 12 });
  });

  it('does not count the IDE’s introspection query against the limits', async () => {
    const res = await graphqlPost(
      app,
      getIntrospectionQuery({ descriptions: true, inputValueDeprecation: true }),
      READ,
    );
    expect(res.status).toBe(200);
    expect(res.body.data.__schema.types.length).toBeGreaterThan(10);
  });

  it('runs a query with 30 aliases and refuses 31 with 400, naming the alias limit', async () => {
    expect((await graphqlPost(app, queryWithAliases(30), READ)).status).toBe(200);
    const res = await graphqlPost(app, queryWithAliases(31), READ);
    expect(res.status).toBe(400);
    expect(res.body.errors[0].message).toBe('Query refused: it uses 31 aliases; the alias limit is 30.');
    expect(res.body.errors[0].extensions.limit).toEqual({ name: 'aliases', value: 31, max: 30 });
  });

  it('counts the aliases of a fragment each time it is spread', async () => {
    const fields = Array.from({ length: 8 }, (_, i) => `t${i}: totalCount`).join(' ');
    const spreads = Array.from({ length: 4 }, (_, i) => `c${i}: courses(first: 1) { ...Counts }`).join(' ');
    const res = await graphqlPost(app, `{ ${spreads} } fragment Counts on CourseConnection { ${fields} }`, READ);
    expect(res.status).toBe(400);
    expect(res.body.errors[0].extensions.limit).toEqual({ name: 'aliases', value: 36, max: 30 });
  });

  it('refuses three nested lists of 100 with 400, giving the cost and the limit', async () => {
    // comments: 1 + 100 × 1; submissions: 1 + 100 × (1 + 101); courses: 1 + 100 × (1 + 10,201)
    const res = await graphqlPost(app, THREE_FULL_PAGES, READ);
    expect(res.status).toBe(400);
    expect(res.body.errors[0].message).toMatch(/^Query refused: its cost is 1020201; the cost limit is 50000\./);
    expect(res.body.errors[0].extensions.limit).toEqual({ name: 'cost', value: 1020201, max: 50000 });
  });

  it('runs two nested lists of 100, whose cost is within the default limit', async () => {
    const res = await graphqlPost(
      app,
      '{ courses(first: 100) { nodes { submissions(first: 100) { nodes { id course { id } } } } } }',
      READ,
    );
    expect(res.body.errors).toBeUndefined();
  });

  it('takes page sizes given as variables into the cost', async () => {
    const query =
      'query Pages($n: Int) { courses(first: $n) { nodes { submissions(first: $n) { nodes { comments(first: $n) { nodes { id } } } } } } }';
    expect((await graphqlPost(app, query, READ, { n: 10 })).status).toBe(200);
    const res = await graphqlPost(app, query, READ, { n: 100 });
    expect(res.status).toBe(400);
    expect(res.body.errors[0].extensions.limit.value).toBe(1020201);
    // Costs are remembered per document and variables: asked again, each gets its own answer.
    expect((await graphqlPost(app, query, READ, { n: 10 })).status).toBe(200);
    expect((await graphqlPost(app, query, READ, { n: 100 })).status).toBe(400);
  });

  it('refuses a batch of operations in one request with 400', async () => {
    const res = await request(app)
      .post('/graphql')
      .set({ 'Content-Type': 'application/json', ...READ })
      .send(JSON.stringify([{ query: '{ courses { totalCount } }' }, { query: '{ courses { totalCount } }' }]));
    expect(res.status).toBe(400);
    expect(res.text).toMatch(/batching/i);
  });

  it('answers a GET query that carries its token without a preflight header (a forged link carries no token)', async () => {
    const res = await request(app)
      .get('/graphql')
      .query({ query: '{ courses { totalCount } }' })
      .set({ Accept: 'application/json', ...READ });
    expect(res.status).toBe(200);
    expect(res.body.data.courses.totalCount).toEqual(expect.any(Number));
  });

  it('refuses a POST that is not JSON with 415', async () => {
    const res = await request(app)
      .post('/graphql')
      .set({ 'Content-Type': 'application/xml', ...READ })
      .send('<query/>');
    expect(res.status).toBe(415);
    expect(res.body.errors[0].message).toMatch(/application\/json/);
  });

  it('answers introspection by default', async () => {
    const res = await graphqlPost(app, '{ __schema { queryType { name } } }', READ);
    expect(res.body.data.__schema.queryType.name).toBe('Query');
  });
});

describe('GraphQL limits set by configuration', () => {
  let db: TestDatabase;
  let app: Express;

  beforeAll(async () => {
    db = await createTestDatabase('sqlite');
    app = await securedApp(db, {
      env: {
        GRAPHQL_MAX_DEPTH: '4',
        GRAPHQL_MAX_ALIASES: '1',
        GRAPHQL_MAX_COST: '100',
        GRAPHQL_INTROSPECTION: 'false',
      },
    });
  });
  afterAll(() => db.drop());

  it('uses GRAPHQL_MAX_DEPTH, GRAPHQL_MAX_ALIASES and GRAPHQL_MAX_COST', async () => {
    expect((await graphqlPost(app, queryOfDepth(5), READ)).body.errors[0].extensions.limit).toEqual({
      name: 'depth',
      value: 5,
      max: 4,
    });
    expect((await graphqlPost(app, queryWithAliases(2), READ)).body.errors[0].extensions.limit).toEqual({
      name: 'aliases',
      value: 2,
      max: 1,
    });
    const cost = await graphqlPost(app, '{ courses(first: 100) { nodes { id } } }', READ);
    expect(cost.status).toBe(400);
    expect(cost.body.errors[0].message).toMatch(/its cost is 101; the cost limit is 100/);
    expect((await graphqlPost(app, '{ courses(first: 99) { nodes { id } } }', READ)).status).toBe(200);
  });

  it('charges a count 20, once per connection rather than per item', async () => {
    // 1 for the connection, 79 courses, 20 for the count: exactly the limit.
    expect((await graphqlPost(app, '{ courses(first: 79) { totalCount nodes { id } } }', READ)).status).toBe(200);
    const res = await graphqlPost(app, '{ courses(first: 80) { totalCount nodes { id } } }', READ);
    expect(res.body.errors[0].extensions.limit).toEqual({ name: 'cost', value: 101, max: 100 });
  });

  it('refuses introspection when GRAPHQL_INTROSPECTION is false', async () => {
    const res = await graphqlPost(app, '{ __schema { queryType { name } } }', READ);
    expect(res.status).toBe(400);
    expect(res.body.errors[0].message).toMatch(/introspection/i);
  });
});
