// Global object identification (Relay): every object type with an id is a Node with an
// opaque nodeId unique across types; node(nodeId:) and nodes(nodeIds:) fetch any of them
// through the types' own loaders (one statement per type for a batch), with the same
// access rules as the types' own fields, bounded and charged by the cost limit.
import request from 'supertest';
import { encodeNodeId } from '../../src/graphql/node';
import { fixture, withMetadata } from '../support/builders';
import { describeEachDatabase } from '../support/databases';
import {
  commentEvent,
  conversationEvent,
  gid,
  graphqlClient,
  ingest,
  messageEvent,
  resourceLinkEvent,
  submissionEvent,
} from '../support/graphql-fixtures';

const READ = 'read-token-0123456789abcdef';
const ADMIN = 'admin-token-0123456789abcdef';
// The fixtures' case: one Canvas id that is both a course and a user.
const SHARED_ID = gid(1);

/* eslint-disable @typescript-eslint/no-explicit-any */
describeEachDatabase('Relay nodes: nodeId, node and nodes', (db) => {
  let app: Awaited<ReturnType<typeof graphqlClient>>['app'];

  async function post(token: string, query: string, variables: Record<string, unknown> = {}) {
    const res = await request(app)
      .post('/graphql')
      .set({ 'Content-Type': 'application/json', Authorization: `Bearer ${token}` })
      .send({ query, variables });
    return { status: res.status, data: res.body.data, errors: res.body.errors as any[] | undefined };
  }
  async function data(token: string, query: string, variables: Record<string, unknown> = {}) {
    const res = await post(token, query, variables);
    if (res.errors?.length || res.status !== 200) throw new Error(`${res.status}: ${JSON.stringify(res.errors)}`);
    return res.data;
  }

  beforeAll(async () => {
    ({ app } = await graphqlClient(db(), { READ_TOKENS: READ, ADMIN_TOKENS: ADMIN }));
    await ingest(db(), [
      withMetadata(submissionEvent({ id: gid(1001), courseId: SHARED_ID, userId: SHARED_ID }), { user_id: SHARED_ID }),
      commentEvent({ id: gid(201), submissionId: gid(1001), courseId: SHARED_ID, body: 'Well done' }),
      conversationEvent({ id: gid(4001), userId: SHARED_ID }),
      messageEvent({ id: gid(5001), conversationId: gid(4001), authorId: SHARED_ID }),
      resourceLinkEvent({ id: gid(3001), courseId: SHARED_ID }),
      fixture('enrollment_created'),
    ]);
  });

  it('gives a course and a user that share a Canvas id different nodeIds, and node() tells them apart', async () => {
    const { course, user } = await data(
      ADMIN,
      `{ course(id: "${SHARED_ID}") { id nodeId } user(id: "${SHARED_ID}") { id nodeId } }`,
    );
    expect(course.id).toBe(SHARED_ID);
    expect(user.id).toBe(SHARED_ID);
    expect(course.nodeId).not.toBe(user.nodeId);

    const fetched = await data(
      ADMIN,
      `query ($c: ID!, $u: ID!) {
        c: node(nodeId: $c) { __typename nodeId ... on Course { id localId } }
        u: node(nodeId: $u) { __typename nodeId ... on User { id login } }
      }`,
      { c: course.nodeId, u: user.nodeId },
    );
    expect(fetched.c).toEqual({ __typename: 'Course', nodeId: course.nodeId, id: SHARED_ID, localId: '1' });
    expect(fetched.u).toEqual({ __typename: 'User', nodeId: user.nodeId, id: SHARED_ID, login: expect.any(String) });
  });

  it('finds every Node type by the nodeId it reports', async () => {
    const listed = await data(
      ADMIN,
      `{
        course(id: "${SHARED_ID}") { nodeId id }
        user(id: "${SHARED_ID}") { nodeId id }
        resourceLink(id: "${gid(3001)}") { nodeId id }
        submission(id: "${gid(1001)}") { nodeId id comments { nodes { nodeId id } } }
        conversation(id: "${gid(4001)}") { nodeId id messages { nodes { nodeId id } } }
        events(first: 1) { nodes { nodeId id } }
        assignments(first: 1) { nodes { nodeId id } }
        enrollments(first: 1) { nodes { nodeId id } }
      }`,
    );
    const expected: Array<[string, { nodeId: string; id: string }]> = [
      ['Course', listed.course],
      ['User', listed.user],
      ['ResourceLink', listed.resourceLink],
      ['Submission', listed.submission],
      ['SubmissionComment', listed.submission.comments.nodes[0]],
      ['Conversation', listed.conversation],
      ['ConversationMessage', listed.conversation.messages.nodes[0]],
      ['Event', listed.events.nodes[0]],
      ['Assignment', listed.assignments.nodes[0]],
      ['Enrollment', listed.enrollments.nodes[0]],
    ];
    const { nodes } = await data(ADMIN, 'query ($ids: [ID!]!) { nodes(nodeIds: $ids) { __typename nodeId } }', {
      ids: expected.map(([, object]) => object.nodeId),
    });
    expect(nodes).toEqual(expected.map(([typeName, object]) => ({ __typename: typeName, nodeId: object.nodeId })));
    // The nodeId is the encoding the module documents, and names the type and the id.
    for (const [typeName, object] of expected) expect(object.nodeId).toBe(encodeNodeId(typeName, object.id));

    // Every implementation of Node in the schema is covered above.
    const schema = await data(ADMIN, '{ __type(name: "Node") { possibleTypes { name } } }');
    expect(schema.__type.possibleTypes.map((t: { name: string }) => t.name).sort()).toEqual(
      expected.map(([typeName]) => typeName).sort(),
    );
  });

  it('answers nodes in the order asked, null for an unknown object, in one statement per type', async () => {
    const ids = [
      encodeNodeId('User', SHARED_ID),
      encodeNodeId('Course', SHARED_ID),
      encodeNodeId('Course', gid(999999)),
      encodeNodeId('Submission', gid(1001)),
      encodeNodeId('User', SHARED_ID),
    ];
    db().statements.length = 0;
    const { nodes } = await data(
      ADMIN,
      'query ($ids: [ID!]!) { nodes(nodeIds: $ids) { __typename ... on Course { id } ... on User { id } ... on Submission { id } } }',
      { ids },
    );
    expect(nodes).toEqual([
      { __typename: 'User', id: SHARED_ID },
      { __typename: 'Course', id: SHARED_ID },
      null,
      { __typename: 'Submission', id: gid(1001) },
      { __typename: 'User', id: SHARED_ID },
    ]);
    expect(db().statements.filter((sql) => /^\s*SELECT/i.test(sql))).toHaveLength(3);
  });

  it('answers null for a well-formed nodeId of an object it does not know', async () => {
    const res = await post(ADMIN, `{ node(nodeId: "${encodeNodeId('Conversation', gid(777))}") { nodeId } }`);
    expect(res.status).toBe(200);
    expect(res.errors).toBeUndefined();
    expect(res.data).toEqual({ node: null });
  });

  it.each([
    ['not base64url', 'Course:1'],
    ['an unknown type', encodeNodeId('Teacher', SHARED_ID)],
    ['no id', encodeNodeId('Course', '')],
    ['an id that is not a Canvas id', encodeNodeId('Course', '12a')],
    ['leading zeros (not canonical)', encodeNodeId('Course', `0${SHARED_ID}`)],
    ['base64 padding', `${encodeNodeId('Course', SHARED_ID)}==`],
    ['far too long', 'A'.repeat(500)],
  ])('refuses a nodeId with %s as BAD_USER_INPUT naming the argument', async (_case, nodeId) => {
    const res = await post(ADMIN, 'query ($id: ID!) { node(nodeId: $id) { nodeId } }', { id: nodeId });
    expect(res.status).toBe(200);
    expect(res.data).toEqual({ node: null });
    expect(res.errors).toHaveLength(1);
    expect(res.errors![0]).toMatchObject({
      path: ['node'],
      extensions: { code: 'BAD_USER_INPUT', argumentName: 'nodeId' },
    });
    expect(res.errors![0].message).toMatch(/^Invalid argument "nodeId": is not a nodeId/);
  });

  it('reports a bad nodeId in nodes at its own position and still answers the others', async () => {
    const res = await post(ADMIN, 'query ($ids: [ID!]!) { nodes(nodeIds: $ids) { nodeId } }', {
      ids: [encodeNodeId('Course', SHARED_ID), 'nonsense!', encodeNodeId('User', SHARED_ID)],
    });
    expect(res.data.nodes).toEqual([
      { nodeId: encodeNodeId('Course', SHARED_ID) },
      null,
      { nodeId: encodeNodeId('User', SHARED_ID) },
    ]);
    expect(res.errors).toEqual([
      expect.objectContaining({
        path: ['nodes', 1],
        extensions: { code: 'BAD_USER_INPUT', argumentName: 'nodeIds[1]' },
      }),
    ]);
  });

  it('applies the personal-data rule of User and the admin-only rule of Event as their own fields do', async () => {
    const query = `query ($u: ID!) { node(nodeId: $u) { ... on User { id login sisId } } }`;
    const variables = { u: encodeNodeId('User', SHARED_ID) };
    expect((await data(READ, query, variables)).node).toEqual({ id: SHARED_ID, login: null, sisId: null });
    expect((await data(ADMIN, query, variables)).node).toEqual({
      id: SHARED_ID,
      login: expect.any(String),
      sisId: expect.any(String),
    });

    const event = (await data(ADMIN, '{ events(first: 1) { nodes { nodeId id } } }')).events.nodes[0];
    const forbidden = await post(READ, 'query ($e: ID!) { node(nodeId: $e) { nodeId } }', { e: event.nodeId });
    expect(forbidden.data).toEqual({ node: null });
    expect(forbidden.errors).toEqual([expect.objectContaining({ extensions: { code: 'FORBIDDEN' } })]);
    const allowed = await data(ADMIN, 'query ($e: ID!) { node(nodeId: $e) { ... on Event { id } } }', {
      e: event.nodeId,
    });
    expect(allowed.node).toEqual({ id: event.id });
  });

  it('takes at most 100 nodeIds, and charges the cost limit per nodeId asked for', async () => {
    const course = encodeNodeId('Course', SHARED_ID);
    const tooMany = await post(ADMIN, 'query ($ids: [ID!]!) { nodes(nodeIds: $ids) { nodeId } }', {
      ids: Array(101).fill(course),
    });
    expect(tooMany.errors).toEqual([
      expect.objectContaining({
        message: 'Invalid argument "nodeIds": may hold at most 100 nodeIds, got 101',
        extensions: expect.objectContaining({ code: 'BAD_USER_INPUT' }),
      }),
    ]);

    // Each Course costs 1,202 here: 10 fit in the default limit (50,000), 60 do not.
    const heavy =
      'query ($ids: [ID!]!) { nodes(nodeIds: $ids) { ... on Course { submissions(first: 100) { nodes { id comments(first: 10) { nodes { id } } } } } } }';
    const ten = await post(ADMIN, heavy, { ids: Array(10).fill(course) });
    expect(ten.errors).toBeUndefined();
    expect(ten.data.nodes).toHaveLength(10);
    const sixty = await post(ADMIN, heavy, { ids: Array(60).fill(course) });
    expect(sixty.status).toBe(400);
    expect(sixty.errors![0].extensions).toMatchObject({ limit: { name: 'cost', max: 50000 } });
    expect(sixty.errors![0].extensions.limit.value).toBe(60 * 1202);
  });
});
