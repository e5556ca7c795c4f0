// The common GraphQL clients against the real server over HTTP, each with its default
// options: Apollo Client 4 (InMemoryCache: every example normalises completely, so a
// query the cache can answer costs no request), urql (GET by default), graphql-request
// (GET and POST), and the graphql-http audit of the GraphQL-over-HTTP spec. A GET
// carrying its token needs no CSRF preflight header; a simple cross-site request is still
// refused; a browser following a link with ?query= gets the IDE with that query.
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApolloClient, HttpLink, InMemoryCache } from '@apollo/client';
import { relayStylePagination } from '@apollo/client/utilities';
import { cacheExchange, Client as UrqlClient, fetchExchange } from '@urql/core';
import { DocumentNode, parse } from 'graphql';
import { serverAudits } from 'graphql-http';
import { GraphQLClient } from 'graphql-request';
import { describeEachDatabase } from '../support/databases';
import { COURSE, example, EXAMPLE_VARIABLES, seedExampleData } from '../support/example-data';
import { graphqlClient } from '../support/graphql-fixtures';

const READ_TOKEN = 'read-token-0123456789abcdef';
const AUTHORIZATION = { Authorization: `Bearer ${READ_TOKEN}` };
const EXAMPLES = Object.keys(EXAMPLE_VARIABLES);

/* eslint-disable @typescript-eslint/no-explicit-any */

/** A fetch that counts the requests it sends and remembers their methods. */
function countingFetch() {
  const methods: string[] = [];
  const counted: typeof fetch = (input, init) => {
    methods.push(init?.method ?? (input instanceof Request ? input.method : 'GET'));
    return fetch(input, init);
  };
  return { fetch: counted, methods };
}

/** The answer without the __typename fields a client adds to every selection. */
function withoutTypenames(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutTypenames);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value)
        .filter(([key]) => key !== '__typename')
        .map(([key, inner]) => [key, withoutTypenames(inner)]),
    );
  }
  return value;
}

async function listen(app: Awaited<ReturnType<typeof graphqlClient>>['app']): Promise<Server> {
  return new Promise((resolve) => {
    const server = app.listen(0, '127.0.0.1', () => resolve(server));
  });
}

describeEachDatabase('GraphQL clients with their default options', (db) => {
  let server: Server;
  let url: string;
  /** Each example's data as a plain JSON POST gets it. */
  const expected = new Map<string, unknown>();

  beforeAll(async () => {
    const { app } = await graphqlClient(db(), { READ_TOKENS: READ_TOKEN });
    await seedExampleData(db());
    server = await listen(app);
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
    for (const name of EXAMPLES) {
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', ...AUTHORIZATION },
        body: JSON.stringify({ query: example(name), variables: EXAMPLE_VARIABLES[name] }),
      });
      const body = (await res.json()) as { data: unknown; errors?: unknown };
      expect(`${name}: ${res.status} ${JSON.stringify(body.errors ?? null)}`).toBe(`${name}: 200 null`);
      expected.set(name, body.data);
    }
  });

  afterAll(async () => {
    await new Promise((resolve) => server?.close(resolve));
  });

  it('answers a GET that carries its token without a preflight header or content type', async () => {
    const query = encodeURIComponent('{ course(id: "' + COURSE + '") { id } }');
    const res = await fetch(`${url}?query=${query}`, { headers: AUTHORIZATION });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ data: { course: { id: COURSE } } });
    // Without the token it is refused by the token check, not run.
    expect((await fetch(`${url}?query=${query}`)).status).toBe(401);
  });

  it('runs every example through urql, whose default is GET', async () => {
    const counter = countingFetch();
    const client = new UrqlClient({
      url,
      exchanges: [cacheExchange, fetchExchange],
      fetch: counter.fetch,
      fetchOptions: { headers: AUTHORIZATION },
    });
    for (const name of EXAMPLES) {
      const result = await client.query(example(name), EXAMPLE_VARIABLES[name]).toPromise();
      expect(result.error).toBeUndefined();
      expect(withoutTypenames(result.data)).toEqual(expected.get(name));
    }
    expect(counter.methods).toEqual(EXAMPLES.map(() => 'GET'));
  });

  it.each(['GET', 'POST'])('runs every example through graphql-request with method %s', async (method) => {
    const client = new GraphQLClient(url, { method: method as 'GET' | 'POST', headers: AUTHORIZATION });
    for (const name of EXAMPLES) {
      expect(await client.request(example(name), EXAMPLE_VARIABLES[name])).toEqual(expected.get(name));
    }
  });

  describe('Apollo Client 4 with InMemoryCache', () => {
    function apollo() {
      const counter = countingFetch();
      const client = new ApolloClient({
        link: new HttpLink({ uri: url, fetch: counter.fetch, headers: AUTHORIZATION }),
        cache: new InMemoryCache({
          typePolicies: {
            // Pages of a course's submissions are one list, whatever `after` asked for.
            Course: { fields: { submissions: relayStylePagination(['filter', 'orderBy']) } },
          },
        }),
      });
      return { client, requests: counter.methods };
    }
    const documents = new Map<string, DocumentNode>(EXAMPLES.map((name) => [name, parse(example(name))]));

    it('answers every example, then answers each again from the cache alone, with nothing missing', async () => {
      const { client, requests } = apollo();
      for (const name of EXAMPLES) {
        const result = await client.query({ query: documents.get(name)!, variables: EXAMPLE_VARIABLES[name] });
        expect(withoutTypenames(result.data)).toEqual(expected.get(name));
      }
      expect(requests).toHaveLength(EXAMPLES.length);
      // After all of them ran (each normalising into the same Course, Submission, ... records),
      // every one is still complete in the cache: no example's data displaced another's.
      for (const name of EXAMPLES) {
        const diff = client.cache.diff<any>({
          query: documents.get(name)!,
          variables: EXAMPLE_VARIABLES[name],
          returnPartialData: false,
          optimistic: false,
        });
        expect(`${name}: ${diff.complete} ${JSON.stringify(diff.missing ?? null)}`).toBe(`${name}: true null`);
        expect(withoutTypenames(diff.result)).toEqual(expected.get(name));
        const again = await client.query({ query: documents.get(name)!, variables: EXAMPLE_VARIABLES[name] });
        expect(withoutTypenames(again.data)).toEqual(expected.get(name));
      }
      expect(requests).toHaveLength(EXAMPLES.length);
    });

    it('keeps the comments example complete after the dashboard ran: two queries, two requests', async () => {
      const { client, requests } = apollo();
      const comments = { query: documents.get('comments-per-submission')!, variables: { courseId: COURSE } };
      const dashboard = { query: documents.get('course-dashboard')!, variables: { courseId: COURSE } };
      await client.query(comments);
      await client.query(dashboard);
      expect(client.cache.diff({ ...comments, returnPartialData: false, optimistic: false }).complete).toBe(true);
      await client.query(comments);
      await client.query(dashboard);
      expect(requests).toHaveLength(2);
    });

    it('merges the pages of a course’s submissions (edges) with relayStylePagination', async () => {
      const { client, requests } = apollo();
      const query = documents.get('comments-per-submission')!;
      const first = await client.query<any>({ query, variables: { courseId: COURSE, first: 2 } });
      expect(first.data!.course.submissions.edges).toHaveLength(2);
      const observable = client.watchQuery({ query, variables: { courseId: COURSE, first: 2 } });
      await observable.fetchMore({
        variables: { after: (first.data as any).course.submissions.pageInfo.endCursor },
      });
      const merged = client.cache.diff<any>({
        query,
        variables: { courseId: COURSE, first: 2 },
        returnPartialData: false,
        optimistic: false,
      });
      expect(merged.complete).toBe(true);
      const all = expected.get('comments-per-submission') as any;
      expect(merged.result.course.submissions.edges.map((edge: any) => edge.node.id)).toEqual(
        all.course.submissions.edges.map((edge: any) => edge.node.id),
      );
      expect(merged.result.course.submissions.edges).toHaveLength(4);
      expect(requests).toHaveLength(2);
    });
  });

  it('passes every MUST of the graphql-http audit (GraphQL over HTTP); the SHOULDs it misses are the three known ones', async () => {
    const fetchFn = (input: any, init: any = {}) =>
      fetch(input, { ...init, headers: { ...(init.headers ?? {}), ...AUTHORIZATION } });
    const failed: string[] = [];
    const warned: string[] = [];
    for (const audit of serverAudits({ url, fetchFn })) {
      const result = await audit.fn();
      if (result.status === 'error') failed.push(`${audit.name}: ${result.reason}`);
      if (result.status === 'warn') warned.push(audit.id);
    }
    expect(failed).toEqual([]);
    // Apollo Server answers 400 to a document that does not parse or validate, or whose
    // variables do not coerce, also under application/json (README, Frontends).
    expect(warned.sort()).toEqual(['572B', '7B9B', 'FDE2']);
  });
});

describeEachDatabase('GET /graphql without a token (open mode) and from a browser', (db) => {
  let app: Awaited<ReturnType<typeof graphqlClient>>['app'];

  beforeAll(async () => {
    ({ app } = await graphqlClient(db()));
  });

  async function get(path: string, headers: Record<string, string> = {}) {
    const server = await listen(app);
    try {
      const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const res = await fetch(`${origin}${path}`, { headers });
      return { status: res.status, type: res.headers.get('content-type') ?? '', text: await res.text() };
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  }

  it('refuses a simple GET query (what a link or an <img> on another site sends) as a potential CSRF', async () => {
    const res = await get(`/graphql?query=${encodeURIComponent('{ courses { totalCount } }')}`, {
      Accept: 'application/json',
    });
    expect(res.status).toBe(400);
    expect(res.text).toMatch(/Cross-Site Request Forgery/);
  });

  it('answers a GET query with an Authorization header or a preflight header', async () => {
    const path = `/graphql?query=${encodeURIComponent('{ courses { totalCount } }')}`;
    const proofs: Array<Record<string, string>> = [
      { Authorization: 'Bearer anything-in-open-mode' },
      { 'Apollo-Require-Preflight': 'true' },
    ];
    for (const header of proofs) {
      const res = await get(path, { Accept: 'application/json', ...header });
      expect(res.status).toBe(200);
      expect(JSON.parse(res.text)).toEqual({ data: { courses: { totalCount: 0 } } });
    }
  });

  it('opens the IDE with the linked query and variables when a browser follows /graphql?query=', async () => {
    const query = '{ course(id: "1") { id title } } # </script><script>alert(1)</script>';
    const res = await get(`/graphql?query=${encodeURIComponent(query)}&variables=${encodeURIComponent('{"a":1}')}`, {
      Accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8',
    });
    expect(res.status).toBe(200);
    expect(res.type).toMatch(/^text\/html/);
    const config = /const RURU_CONFIG = (\{[\s\S]*?\});\s*<\/script>/.exec(res.text)?.[1];
    expect(config).toBeDefined();
    // The query is data inside the page's JSON, never markup: the closing tag is escaped.
    expect(res.text).not.toContain('</script><script>alert(1)');
    const parsed = JSON.parse(config!.replaceAll('<\\/script', '</script').replaceAll('<\\script', '<script'));
    expect(parsed.initialQuery).toBe(query);
    expect(parsed.initialVariables).toBe('{"a":1}');
    expect(parsed.defaultTabs[0]).toEqual({ query, variables: '{"a":1}' });
  });
});
