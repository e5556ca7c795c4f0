// Relay against the real server: relay-compiler (its prebuilt binary, from npm) compiles
// every example plus a @refetchable pagination fragment on Course against schema.graphql,
// with the schema's Node interface (`nodeInterfaceIdField: "nodeId"`); relay-runtime runs
// them over HTTP with a store keyed by nodeId (`getDataID`). Every answer reads back
// complete from the store, a course and a user sharing a Canvas id stay two records, the
// second page of submissions is fetched through node(nodeId:) and appended to the first,
// and Relay prints no warning.
import { execFile } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import {
  ConcreteRequest,
  createOperationDescriptor,
  Environment,
  fetchQuery,
  getSelector,
  GraphQLResponse,
  Network,
  ReaderFragment,
  RecordSource,
  Store,
} from 'relay-runtime';
import { withMetadata } from '../support/builders';
import { describeEachDatabase } from '../support/databases';
import { COURSE, example, EXAMPLE_VARIABLES, seedExampleData } from '../support/example-data';
import { gid, graphqlClient, ingest, submissionEvent } from '../support/graphql-fixtures';

const ROOT = path.resolve(__dirname, '..', '..');
const READ_TOKEN = 'read-token-0123456789abcdef';
const SHARED_ID = gid(1);

/* eslint-disable @typescript-eslint/no-explicit-any */

/** Relay's naming rule: an operation is named after its module and ends in Query. */
const moduleName = (exampleName: string) =>
  `${exampleName.replace(/(^|-)(\w)/g, (_m, _dash, letter: string) => letter.toUpperCase())}Query`;

const PAGINATION = `
  fragment CourseSubmissions_course on Course
  @refetchable(queryName: "CourseSubmissionsPaginationQuery")
  @argumentDefinitions(count: { type: "Int", defaultValue: 2 }, cursor: { type: "String" }) {
    title
    submissions(first: $count, after: $cursor) @connection(key: "CourseSubmissions_submissions") {
      edges {
        node {
          id
          score
        }
      }
    }
  }`;

const SOURCES: Record<string, string> = {
  CourseSubmissions: `${PAGINATION}
  query CourseSubmissionsQuery($courseId: ID!) {
    course(id: $courseId) {
      ...CourseSubmissions_course
    }
  }`,
  SharedIdQuery: `
  query SharedIdQuery($id: ID!) {
    course(id: $id) { id localId }
    user(id: $id) { id localId }
  }`,
};

/** Everything relay-runtime prints about its store (it warns through console.error). */
function captureConsole(): string[] {
  const printed: string[] = [];
  for (const method of ['error', 'warn'] as const) {
    jest.spyOn(console, method).mockImplementation((...args: unknown[]) => {
      printed.push(args.map(String).join(' '));
    });
  }
  return printed;
}

let workDir: string;
const artifact = <T>(name: string): T => require(path.join(workDir, 'src', '__generated__', `${name}.graphql.js`));

beforeAll(async () => {
  workDir = mkdtempSync(path.join(tmpdir(), 'relay-'));
  mkdirSync(path.join(workDir, 'src', '__generated__'), { recursive: true });
  copyFileSync(path.join(ROOT, 'schema.graphql'), path.join(workDir, 'schema.graphql'));
  for (const name of Object.keys(EXAMPLE_VARIABLES)) {
    // Comments dropped: they quote names in backticks, which would end the template literal.
    const text = example(name)
      .replace(/^#.*$/gm, '')
      .replace(/^query (\w+)/m, `query ${moduleName(name)}`);
    writeFileSync(path.join(workDir, 'src', `${moduleName(name)}.js`), `graphql\`${text}\`;\n`);
  }
  for (const [file, text] of Object.entries(SOURCES)) {
    writeFileSync(path.join(workDir, 'src', `${file}.js`), `graphql\`${text}\`;\n`);
  }
  writeFileSync(
    path.join(workDir, 'relay.config.json'),
    JSON.stringify({
      src: './src',
      schema: './schema.graphql',
      language: 'javascript',
      eagerEsModules: false,
      artifactDirectory: './src/__generated__',
      schemaConfig: { nodeInterfaceIdField: 'nodeId', nodeInterfaceIdVariableName: 'nodeId' },
    }),
  );
  const compiler = path.join(ROOT, 'node_modules', '.bin', 'relay-compiler');
  try {
    await promisify(execFile)(compiler, [], { cwd: workDir, timeout: 120_000 });
  } catch (error) {
    const { stdout, stderr } = error as { stdout?: string; stderr?: string };
    throw new Error(`relay-compiler failed:\n${stdout}\n${stderr}`);
  }
}, 180_000);

afterAll(() => {
  rmSync(workDir, { recursive: true, force: true });
});

describeEachDatabase('Relay (relay-compiler and relay-runtime) against the server', (db) => {
  let server: Server;
  let url: string;

  beforeAll(async () => {
    const { app } = await graphqlClient(db(), { READ_TOKENS: READ_TOKEN });
    await seedExampleData(db());
    // The fixtures' case: one Canvas id that is both a course and a user.
    await ingest(db(), [
      withMetadata(submissionEvent({ id: gid(1999), courseId: SHARED_ID, userId: SHARED_ID }), { user_id: SHARED_ID }),
    ]);
    server = await new Promise<Server>((resolve) => {
      const listening = app.listen(0, '127.0.0.1', () => resolve(listening));
    });
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
  });

  afterAll(async () => {
    await new Promise((resolve) => server?.close(resolve));
  });

  afterEach(() => jest.restoreAllMocks());

  function environment() {
    const requests: string[] = [];
    const network = Network.create(async (operation, variables) => {
      requests.push(operation.name);
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${READ_TOKEN}` },
        body: JSON.stringify({ query: operation.text, variables }),
      });
      return (await res.json()) as GraphQLResponse;
    });
    const env = new Environment({
      network,
      store: new Store(new RecordSource()),
      // Records are keyed by the Node interface's id; objects without one (connections,
      // pages) get Relay's path-based client ids.
      getDataID: (value: any) => value.nodeId,
    });
    return { env, requests };
  }

  async function run(env: Environment, query: ConcreteRequest, variables: Record<string, unknown>) {
    await fetchQuery(env, query, variables).toPromise();
    const operation = createOperationDescriptor(query, variables);
    return env.lookup(operation.fragment);
  }

  it('runs every example, each read back complete from the store, without a warning', async () => {
    const printed = captureConsole();
    const { env, requests } = environment();
    for (const [name, variables] of Object.entries(EXAMPLE_VARIABLES)) {
      const query = artifact<ConcreteRequest>(moduleName(name));
      const snapshot = await run(env, query, variables);
      expect(`${name}: missing data ${snapshot.isMissingData}`).toBe(`${name}: missing data false`);
      // An object with an id, or (aggregates) a group's id key or a count.
      expect(JSON.stringify(snapshot.data)).toMatch(/"\w*[iI]d":"\d+"|"count":[1-9]/);
    }
    // All of them still complete once every one has written into the shared records.
    for (const [name, variables] of Object.entries(EXAMPLE_VARIABLES)) {
      const snapshot = env.lookup(createOperationDescriptor(artifact(moduleName(name)), variables).fragment);
      expect(`${name}: missing data ${snapshot.isMissingData}`).toBe(`${name}: missing data false`);
    }
    expect(requests).toHaveLength(Object.keys(EXAMPLE_VARIABLES).length);
    expect(printed).toEqual([]);
  });

  it('keeps a course and a user that share a Canvas id as two records', async () => {
    const printed = captureConsole();
    const { env } = environment();
    const snapshot = await run(env, artifact('SharedIdQuery'), { id: SHARED_ID });
    expect(snapshot.isMissingData).toBe(false);
    expect(snapshot.data).toEqual({
      course: { id: SHARED_ID, localId: '1' },
      user: { id: SHARED_ID, localId: '1' },
    });
    const records = env.getStore().getSource();
    const typesOfTheId = records
      .getRecordIDs()
      .map((dataId) => records.get(dataId))
      .filter((record) => record?.id === SHARED_ID)
      .map((record) => record!.__typename)
      .sort();
    expect(typesOfTheId).toEqual(['Course', 'User']);
    expect(printed).toEqual([]);
  });

  it('pages a @refetchable fragment on Course through node(nodeId:), appending to the same connection', async () => {
    const printed = captureConsole();
    const { env, requests } = environment();
    const query = artifact<ConcreteRequest>('CourseSubmissionsQuery');
    const fragment = artifact<ReaderFragment>('CourseSubmissions_course');
    const first = await run(env, query, { courseId: COURSE });
    const selector = getSelector(fragment, (first.data as any).course);
    if (!selector || !('dataID' in selector)) throw new Error('no singular selector for the fragment');
    const page = () => env.lookup(selector).data as any;
    expect(page().submissions.edges).toHaveLength(2);

    // What usePaginationFragment's loadNext does: the generated refetch query, by the
    // course's nodeId (its record's id in the store) and the first page's end cursor.
    const pagination = artifact<ConcreteRequest>('CourseSubmissionsPaginationQuery');
    expect(pagination.params.text).toMatch(/node\(nodeId: \$nodeId\)/);
    const courseNodeId = selector.dataID;
    await fetchQuery(env, pagination, {
      count: 2,
      cursor: endCursorOf(env, courseNodeId),
      nodeId: courseNodeId,
    }).toPromise();

    const ids = page().submissions.edges.map((edge: any) => edge.node.id);
    expect(ids).toEqual([gid(1001), gid(1002), gid(1003), gid(1004)]);
    expect(env.lookup(selector).isMissingData).toBe(false);
    expect(requests).toEqual(['CourseSubmissionsQuery', 'CourseSubmissionsPaginationQuery']);
    expect(printed).toEqual([]);
  });
});

/** The end cursor of the course's submissions connection, as the store holds it. */
function endCursorOf(env: Environment, courseDataID: string): string {
  const source = env.getStore().getSource();
  const course = source.get(courseDataID) as any;
  const connectionKey = Object.keys(course).find((key) => key.startsWith('__CourseSubmissions_submissions_connection'));
  const connection = source.get(course[connectionKey!].__ref) as any;
  return (source.get(connection.pageInfo.__ref) as any).endCursor;
}
