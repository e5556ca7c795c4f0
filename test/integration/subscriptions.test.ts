// Live updates over graphql-ws on /graphql, with a real graphql-ws client over real
// WebSockets and real ingest (POST /events): authentication from connectionParams, the
// same limits as queries, filters, admin-only event log, and two instances joined by
// Redis pub/sub (a subscriber on one, ingest on the other: the update arrives once).
import { randomUUID } from 'node:crypto';
import { Client, createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { describeEachDatabase } from '../support/databases';
import { commentEvent, freshLocalId, globalIdOf, messageEvent, submissionEvent } from '../support/builders';
import { LiveServer, postJson, startLiveServer } from '../support/live-server';
import type { LiveService } from '../../src/server';

const TOKENS = {
  read: 'read-token-0123456789abcdef',
  admin: 'admin-token-0123456789abcdef',
  ingest: 'ingest-token-0123456789abcdef',
};
const ENV = { READ_TOKENS: TOKENS.read, ADMIN_TOKENS: TOKENS.admin, INGEST_TOKENS: TOKENS.ingest };
const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

const wsUrl = (server: LiveServer) => `${server.url.replace('http', 'ws')}/graphql`;

function client(server: LiveServer, token: string | null, onClose?: (code: number, reason: string) => void): Client {
  return createClient({
    url: wsUrl(server),
    webSocketImpl: WebSocket,
    connectionParams: token ? { authorization: `Bearer ${token}` } : {},
    retryAttempts: 0,
    lazy: true,
    on: onClose
      ? { closed: (event) => onClose((event as WebSocket.CloseEvent).code, (event as WebSocket.CloseEvent).reason) }
      : {},
  });
}

interface Stream {
  results: Array<{ data?: any; errors?: any[] }>; // eslint-disable-line @typescript-eslint/no-explicit-any
  /** Resolves once `n` results arrived. */
  received(n: number, timeoutMs?: number): Promise<void>;
  /** Resolves when the server ends the subscription with an error (rejects otherwise after the timeout). */
  failed: Promise<unknown>;
  stop(): void;
}

/** Every stream started, stopped after each test. */
const streams: Stream[] = [];

function subscribe(c: Client, query: string, variables: Record<string, unknown> = {}): Stream {
  const results: Stream['results'] = [];
  let notify = () => undefined as void;
  let fail: (error: unknown) => void = () => undefined;
  const failed = new Promise<unknown>((resolve) => (fail = resolve));
  const stop = c.subscribe(
    { query, variables },
    {
      next: (result) => {
        // An operation refused by its resolver (graphql's subscribe) comes as one result with errors.
        if (result.errors) fail(result.errors);
        results.push(result as Stream['results'][number]);
        notify();
      },
      error: (error) => fail(error),
      complete: () => undefined,
    },
  );
  const stream: Stream = {
    results,
    failed,
    stop,
    received: (n, timeoutMs = 20_000) =>
      new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`got ${results.length} of ${n} results`)), timeoutMs);
        notify = () => {
          if (results.length >= n) {
            clearTimeout(timer);
            resolve();
          }
        };
        notify();
      }),
  };
  streams.push(stream);
  return stream;
}

/** Stops every stream and waits until `server` serves none (so the next test counts only its own). */
async function stopAll(server: LiveServer): Promise<void> {
  for (const stream of streams.splice(0)) stream.stop();
  await subscribed(server, 0);
}

/** Waits until `server` serves exactly `n` subscriptions (so that what is ingested next reaches them). */
async function subscribed(server: LiveServer, n: number): Promise<void> {
  const { feed } = server.app.locals.live as LiveService;
  const deadline = Date.now() + 20_000;
  while (feed.size !== n) {
    if (Date.now() > deadline) throw new Error(`${feed.size} of ${n} subscriptions started`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

async function ingest(server: LiveServer, events: unknown[]): Promise<void> {
  const answer = await postJson(`${server.url}/events`, events, { authorization: `Bearer ${TOKENS.ingest}` });
  expect(answer.status).toBe(200);
}

function closeCode(server: LiveServer, token: string | null): Promise<{ code: number; reason: string }> {
  return new Promise((resolve) => {
    const c = client(server, token, (code, reason) => resolve({ code, reason }));
    const s = subscribe(c, 'subscription { submissionChanged { id } }');
    void s.failed;
  });
}

const SUBMISSION_FIELDS = 'id score workflowState course { id }';

describeEachDatabase('subscriptions over graphql-ws', (db) => {
  let server: LiveServer;
  const clients: Client[] = [];
  const open = (token: string | null) => {
    const c = client(server, token);
    clients.push(c);
    return c;
  };

  beforeAll(async () => {
    server = await startLiveServer(db().dataSource, { ...ENV, SUBSCRIPTIONS_PER_CONNECTION: '3' });
  });
  afterEach(() => stopAll(server));
  afterAll(async () => {
    for (const c of clients) await c.dispose();
    await server.close();
  });

  it('closes a socket without a token with 4401, and one whose token lacks the read role with 4403', async () => {
    expect((await closeCode(server, null)).code).toBe(4401);
    expect((await closeCode(server, 'not-a-token-0123456789')).code).toBe(4401);
    expect((await closeCode(server, TOKENS.ingest)).code).toBe(4403);
  });

  it('sends each submission created or changed after commit, newest state, filtered by course', async () => {
    const c = open(TOKENS.read);
    const courseId = globalIdOf(freshLocalId());
    const otherCourse = globalIdOf(freshLocalId());
    const mine = subscribe(
      c,
      `subscription($f: SubmissionFilter) { submissionChanged(filter: $f) { ${SUBMISSION_FIELDS} } }`,
      {
        f: { courseId },
      },
    );
    const graded = subscribe(c, `subscription { submissionChanged(filter: { scoreAtLeast: 90 }) { id score } }`);
    await subscribed(server, 2).catch(async (error) => {
      const failure = await Promise.race([graded.failed, mine.failed, new Promise((r) => setTimeout(r, 100))]);
      throw new Error(`${error}: ${JSON.stringify([mine.results, graded.results, failure])}`);
    });
    const submissionId = globalIdOf(freshLocalId());
    await ingest(server, [
      submissionEvent({
        submissionId: globalIdOf(freshLocalId()),
        metadata: { context_type: 'Course', context_id: otherCourse },
      }),
      submissionEvent({
        submissionId,
        body: { score: 42 },
        metadata: { context_type: 'Course', context_id: courseId },
      }),
    ]);
    await mine.received(1);
    expect(mine.results[0].data.submissionChanged).toMatchObject({
      id: submissionId,
      score: 42,
      course: { id: courseId },
    });
    await ingest(server, [
      submissionEvent({
        submissionId,
        body: { score: 95, updated_at: '2025-01-01T00:00:00Z' },
        metadata: { context_type: 'Course', context_id: courseId, event_time: '2025-01-01T00:00:00Z' },
      }),
    ]);
    await mine.received(2);
    expect(mine.results[1].data.submissionChanged).toMatchObject({ id: submissionId, score: 95 });
    await graded.received(1);
    // The first submission of the fixture scores 99.5 (>= 90), then ours reaches 95.
    expect(graded.results.map((r) => r.data.submissionChanged.score)).toContain(95);
    expect(graded.results.every((r) => r.data.submissionChanged.score >= 90)).toBe(true);
    expect(mine.results).toHaveLength(2);
    mine.stop();
    graded.stop();
  });

  it('sends new comments and messages matching their filters', async () => {
    const c = open(TOKENS.read);
    const submissionLocal = freshLocalId();
    const comments = subscribe(
      c,
      'subscription($f: CommentFilter) { commentAdded(filter: $f) { id body submission { id } } }',
      {
        f: { submissionId: globalIdOf(submissionLocal) },
      },
    );
    const conversationLocal = freshLocalId();
    const messages = subscribe(
      c,
      'subscription($f: MessageFilter) { messageAdded(filter: $f) { id conversation { id } } }',
      {
        f: { conversationId: globalIdOf(conversationLocal) },
      },
    );
    await subscribed(server, 2);
    const commentId = freshLocalId();
    const messageId = freshLocalId();
    await ingest(server, [
      commentEvent({ submissionId: freshLocalId() }),
      commentEvent({ submissionId: submissionLocal, commentId, body: { body: 'well done' } }),
      messageEvent({ conversationId: freshLocalId() }),
      messageEvent({ conversationId: conversationLocal, messageId }),
    ]);
    await comments.received(1);
    await messages.received(1);
    expect(comments.results[0].data.commentAdded).toEqual({
      id: globalIdOf(commentId),
      body: 'well done',
      submission: { id: globalIdOf(submissionLocal) },
    });
    expect(messages.results[0].data.messageAdded).toEqual({
      id: globalIdOf(messageId),
      conversation: { id: globalIdOf(conversationLocal) },
    });
    comments.stop();
    messages.stop();
  });

  it("gives a read token's updates the same nulls as its queries (personal data for admin tokens only)", async () => {
    const courseId = globalIdOf(freshLocalId());
    const query = `subscription($f: SubmissionFilter) { submissionChanged(filter: $f) { id user { id login } } }`;
    const reader = subscribe(open(TOKENS.read), query, { f: { courseId } });
    const admin = subscribe(open(TOKENS.admin), query, { f: { courseId } });
    await subscribed(server, 2);
    const userId = globalIdOf(freshLocalId());
    await ingest(server, [
      submissionEvent({
        body: { user_id: userId },
        metadata: { context_type: 'Course', context_id: courseId, user_id: userId, user_login: 'student@example.edu' },
      }),
    ]);
    await reader.received(1);
    await admin.received(1);
    expect(reader.results[0].data.submissionChanged.user).toEqual({ id: userId, login: null });
    expect(admin.results[0].data.submissionChanged.user).toEqual({ id: userId, login: 'student@example.edu' });
  });

  it('lets only admin tokens follow the event log, by name', async () => {
    const refused = subscribe(open(TOKENS.read), 'subscription { eventLogged { id name } }');
    expect(JSON.stringify(await refused.failed)).toMatch(/admin tokens only/);
    const admin = subscribe(
      open(TOKENS.admin),
      'subscription { eventLogged(names: ["submission_comment_created"]) { id name } }',
    );
    await subscribed(server, 1);
    await ingest(server, [submissionEvent(), commentEvent()]);
    await admin.received(1);
    expect(admin.results[0].data.eventLogged.name).toBe('submission_comment_created');
    expect(admin.results[0].data.eventLogged.id).toMatch(/^\d+$/);
    admin.stop();
  });

  it('holds subscriptions to the query limits and runs only subscriptions', async () => {
    const c = open(TOKENS.read);
    let nested = 'id';
    for (let i = 0; i < 8; i++) nested = `submission { comments(first: 1) { nodes { ${nested} } } }`;
    const deep = subscribe(c, `subscription { commentAdded { ${nested} } }`);
    expect(JSON.stringify(await deep.failed)).toMatch(/depth limit/);
    const query = subscribe(c, '{ submissions(first: 1) { nodes { id } } }');
    expect(JSON.stringify(await query.failed)).toMatch(/only subscriptions run over WebSocket/);
  });

  it('refuses more subscriptions on one connection than SUBSCRIPTIONS_PER_CONNECTION', async () => {
    const c = open(TOKENS.read);
    const streams = [1, 2, 3].map(() => subscribe(c, 'subscription { submissionChanged { id } }'));
    await subscribed(server, 3);
    const fourth = subscribe(c, 'subscription { submissionChanged { id } }');
    expect(JSON.stringify(await fourth.failed)).toMatch(/already has 3 subscriptions/);
    for (const s of streams) s.stop();
  });
});

describeEachDatabase('subscriptions across two instances through Redis', (db) => {
  let first: LiveServer;
  let second: LiveServer;
  let c: Client;

  beforeAll(async () => {
    // A prefix of its own: other test runs (and deployments) may share this Redis.
    const env = { ...ENV, PUBSUB_URL: REDIS_URL, PUBSUB_PREFIX: `test-${randomUUID()}:` };
    first = await startLiveServer(db().dataSource, env);
    second = await startLiveServer(db().dataSource, env);
  });
  afterAll(async () => {
    await c?.dispose();
    await first.close();
    await second.close();
  });

  it('delivers a change ingested by one instance to a subscriber of the other, once', async () => {
    c = client(first, TOKENS.read);
    const courseId = globalIdOf(freshLocalId());
    const stream = subscribe(c, 'subscription($f: SubmissionFilter) { submissionChanged(filter: $f) { id } }', {
      f: { courseId },
    });
    await subscribed(first, 1);
    const submissionId = globalIdOf(freshLocalId());
    await ingest(second, [
      submissionEvent({ submissionId, metadata: { context_type: 'Course', context_id: courseId } }),
    ]);
    await stream.received(1);
    expect(stream.results[0].data.submissionChanged).toEqual({ id: submissionId });
    // Nothing more comes (no echo through both channels).
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(stream.results).toHaveLength(1);
    stream.stop();
  });
});
