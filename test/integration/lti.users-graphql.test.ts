// Users in the read API: user(id), users(first, after, filter) and the user fields of
// submissions, comments, messages and conversations — batched — with personal data
// (names, email, login, SIS id) shown to admin callers only.
import { graphql } from 'graphql';
import request from 'supertest';
import { createContext, Role } from '../../src/graphql/context';
import { graphqlSchema } from '../../src/graphql/schema';
import { resolvers } from '../../src/modules';
import {
  commentEvent,
  conversationEvent,
  courseContext,
  freshLocalId,
  globalIdOf,
  messageEvent,
  plusMs,
  rootAccountOf,
  submissionEvent,
  withMetadata,
} from '../support/builders';
import { describeEachDatabase, TestDatabase } from '../support/databases';
import { ingestApp } from '../support/ingest-app';
import { appendWith, freshLaunchParams, launchEvent } from '../support/lti';

const T0 = '2024-03-01T08:00:00.000Z';
const SHARD = 2107n;

/* eslint-disable @typescript-eslint/no-explicit-any */
async function run(
  db: TestDatabase,
  role: Role,
  source: string,
  variableValues: Record<string, unknown> = {},
): Promise<any> {
  const result = await graphql({
    schema: await graphqlSchema(resolvers),
    source,
    variableValues,
    contextValue: createContext(db.dataSource, role),
  });
  if (result.errors?.length) throw new Error(result.errors.map((e) => e.message).join('; '));
  return result.data;
}

const PERSONAL = 'name givenName familyName email login sisId';

describeEachDatabase('users in GraphQL', (db) => {
  const courseId = globalIdOf(freshLocalId(), SHARD);
  const params = freshLaunchParams({ custom_canvas_course_id: courseId });
  const userId = globalIdOf(params.custom_canvas_user_id, SHARD);
  // The live events name the consumer's root account: that is what joins the launch's local user id.
  const actor = {
    root_account_id: rootAccountOf(SHARD),
    root_account_lti_guid: params.tool_consumer_instance_guid,
    user_id: userId,
    user_login: 'ada@example.edu',
    user_sis_id: 'SIS-ADA',
  };
  const submissionId = globalIdOf(freshLocalId(), SHARD);
  const conversationLocal = freshLocalId();
  const conversationId = globalIdOf(conversationLocal, SHARD);

  beforeAll(async () => {
    await appendWith(db(), [
      launchEvent(params, T0),
      submissionEvent({
        submissionId,
        eventTime: plusMs(T0, 1000),
        body: { user_id: userId },
        metadata: { ...actor, ...courseContext(courseId) },
      }),
      commentEvent({
        submissionId,
        authorLocalId: params.custom_canvas_user_id,
        eventTime: plusMs(T0, 2000),
        metadata: actor,
      }),
      withMetadata(conversationEvent({ conversationId: conversationLocal, eventTime: plusMs(T0, 3000) }), actor),
      withMetadata(
        messageEvent({
          conversationId: conversationLocal,
          authorId: params.custom_canvas_user_id,
          eventTime: plusMs(T0, 4000),
        }),
        actor,
      ),
    ]);
  });

  it('gives an admin the user with the launch’s personal data and the login and SIS id of their live events', async () => {
    const data = await run(
      db(),
      'admin',
      `query ($id: ID!) { user(id: $id) { id localId ltiUserId roles lastSeenAt ${PERSONAL} } }`,
      { id: userId },
    );
    expect(data.user).toEqual({
      id: userId,
      localId: params.custom_canvas_user_id,
      ltiUserId: params.user_id,
      roles: ['Instructor', 'urn:lti:instrole:ims/lis/Administrator'],
      lastSeenAt: plusMs(T0, 4000),
      name: 'Ada Lovelace',
      givenName: 'Ada',
      familyName: 'Lovelace',
      email: 'ada@example.edu',
      login: 'ada@example.edu',
      sisId: 'SIS-ADA',
    });
  });

  it('gives a reader null for every personal field, and the rest as for an admin', async () => {
    const data = await run(db(), 'reader', `query ($id: ID!) { user(id: $id) { id ltiUserId roles ${PERSONAL} } }`, {
      id: userId,
    });
    expect(data.user).toEqual({
      id: userId,
      ltiUserId: params.user_id,
      roles: ['Instructor', 'urn:lti:instrole:ims/lis/Administrator'],
      name: null,
      givenName: null,
      familyName: null,
      email: null,
      login: null,
      sisId: null,
    });
  });

  it('shows personal data over HTTP to an admin token and hides it from a read token', async () => {
    const app = await ingestApp(db(), {
      env: { READ_TOKENS: 'reader-token-0123456789', ADMIN_TOKENS: 'admin-token-0123456789' },
    });
    const ask = (token: string) =>
      request(app)
        .post('/graphql')
        .set('Authorization', `Bearer ${token}`)
        .set('Content-Type', 'application/json')
        .send({ query: 'query ($id: ID!) { user(id: $id) { name email login } }', variables: { id: userId } });
    expect((await ask('admin-token-0123456789')).body.data.user).toEqual({
      name: 'Ada Lovelace',
      email: 'ada@example.edu',
      login: 'ada@example.edu',
    });
    expect((await ask('reader-token-0123456789')).body.data.user).toEqual({ name: null, email: null, login: null });
  });

  it('documents in the schema that personal fields are null for non-admin callers', async () => {
    const fields = (await graphqlSchema(resolvers)).getType('User')!.toConfig() as {
      fields: Record<string, { description?: string }>;
    };
    for (const name of PERSONAL.split(' '))
      expect(fields.fields[name].description).toMatch(/null unless the caller uses an admin token/);
  });

  it('lists users in id order, page by page, and filters them by id and LTI user id', async () => {
    const first = await run(
      db(),
      'reader',
      '{ users(first: 1) { totalCount nodes { id } pageInfo { hasNextPage endCursor } } }',
    );
    expect(first.users.nodes).toHaveLength(1);
    const rest = await run(
      db(),
      'reader',
      'query ($after: String) { users(first: 100, after: $after) { nodes { id } } }',
      {
        after: first.users.pageInfo.endCursor,
      },
    );
    const ids = [...first.users.nodes, ...rest.users.nodes].map((n: { id: string }) => BigInt(n.id));
    expect(ids).toEqual([...ids].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
    expect(ids.length).toBe(first.users.totalCount);
    const byLti = await run(
      db(),
      'reader',
      'query ($lti: String) { users(filter: { ltiUserId: $lti }) { nodes { id } } }',
      { lti: params.user_id },
    );
    expect(byLti.users.nodes).toEqual([{ id: userId }]);
    const byId = await run(db(), 'reader', 'query ($ids: [ID!]) { users(filter: { ids: $ids }) { nodes { id } } }', {
      ids: [userId, '1'],
    });
    expect(byId.users.nodes).toEqual([{ id: userId }]);
  });

  it('links submissions, comments, messages and conversations to their users', async () => {
    const data = await run(
      db(),
      'reader',
      `query ($s: ID!, $c: ID!) {
        submission(id: $s) { user { id } comments { nodes { author { id name } } } }
        conversation(id: $c) { participants { id } messages { nodes { author { id } } } }
      }`,
      { s: submissionId, c: conversationId },
    );
    expect(data.submission.user).toEqual({ id: userId });
    expect(data.submission.comments.nodes).toEqual([{ author: { id: userId, name: null } }]);
    expect(data.conversation.participants).toEqual([{ id: userId }]);
    expect(data.conversation.messages.nodes).toEqual([{ author: { id: userId } }]);
  });

  it('loads the users of many submissions with one statement', async () => {
    const more = Array.from({ length: 8 }, () => {
      const local = freshLocalId();
      return submissionEvent({
        body: { user_id: globalIdOf(local, SHARD) },
        metadata: {
          root_account_id: rootAccountOf(SHARD),
          user_id: globalIdOf(local, SHARD),
          ...courseContext(courseId),
        },
      });
    });
    await appendWith(db(), more);
    db().statements.length = 0;
    const data = await run(db(), 'reader', '{ submissions(first: 50) { nodes { user { id ltiUserId } } } }');
    expect(data.submissions.nodes.length).toBeGreaterThanOrEqual(9);
    expect(data.submissions.nodes.every((n: { user: unknown }) => n.user !== null)).toBe(true);
    const userStatements = db().statements.filter((sql) => /FROM [`"]?users[`"]?/i.test(sql));
    expect(userStatements).toHaveLength(1);
  });
});
