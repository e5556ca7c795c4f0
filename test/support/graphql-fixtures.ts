// Read-side test data: Canvas events built from the shared fixtures with the ids and
// times a GraphQL test wants to assert on, ingested through the real event log, and a
// small client that runs queries over HTTP against the real app.
import pino from 'pino';
import request from 'supertest';
import type { Express } from 'express';
import { loadConfig } from '../../src/config';
import { buildProjectorRegistry } from '../../src/modules';
import { toEnvelopedEvent } from '../../src/ingest/envelope';
import { EventLog } from '../../src/ingest/event-log';
import { parseLossless } from '../../src/canvas/lossless-json';
import { createApp } from '../../src/server';
import { CanvasEvent, fixture, globalIdOf, withBody, withMetadata } from './builders';
import type { TestDatabase } from './databases';

export { globalIdOf };

/** Global id on the fixtures' shard: `gid(565)` → "21070000000000565". */
export const gid = (local: number | string) => globalIdOf(local);

function inCourse(event: CanvasEvent, courseId: string | null): CanvasEvent {
  if (courseId === null) {
    return withMetadata(event, {
      context_id: undefined,
      context_type: undefined,
      context_account_id: undefined,
      context_sis_source_id: undefined,
    });
  }
  return withMetadata(event, { context_id: courseId, context_type: 'Course' });
}

export interface SubmissionSpec {
  id: string;
  courseId: string | null;
  name?: 'submission_created' | 'submission_updated';
  assignmentId?: string;
  userId?: string;
  score?: number | null;
  grade?: string | null;
  late?: boolean | null;
  missing?: boolean | null;
  workflowState?: string;
  submittedAt?: string | null;
  /** null: no body.updated_at at all (the clock is then the event time). */
  updatedAt?: string | null;
  eventTime?: string;
}

export function submissionEvent(spec: SubmissionSpec): CanvasEvent {
  const updatedAt = spec.updatedAt === null ? undefined : (spec.updatedAt ?? '2024-01-10T10:00:00.000Z');
  const body: Record<string, unknown> = { submission_id: spec.id, updated_at: updatedAt };
  for (const [key, field] of [
    ['assignment_id', 'assignmentId'],
    ['user_id', 'userId'],
    ['score', 'score'],
    ['grade', 'grade'],
    ['late', 'late'],
    ['missing', 'missing'],
    ['workflow_state', 'workflowState'],
    ['submitted_at', 'submittedAt'],
  ] as const) {
    if (spec[field] !== undefined) body[key] = spec[field];
  }
  const event = withBody(fixture(spec.name ?? 'submission_updated'), body);
  return withMetadata(inCourse(event, spec.courseId), {
    event_time: spec.eventTime ?? updatedAt ?? '2024-01-10T10:00:00.000Z',
  });
}

export interface CommentSpec {
  id: string;
  submissionId: string;
  courseId: string | null;
  authorId?: string;
  body?: string;
  createdAt?: string;
  attachmentIds?: string[];
}

export function commentEvent(spec: CommentSpec): CanvasEvent {
  const createdAt = spec.createdAt ?? '2024-01-11T09:00:00.000Z';
  const event = withBody(fixture('submission_comment_created'), {
    submission_comment_id: spec.id,
    submission_id: spec.submissionId,
    created_at: createdAt,
    ...(spec.authorId ? { user_id: spec.authorId } : {}),
    ...(spec.body !== undefined ? { body: spec.body } : {}),
    ...(spec.attachmentIds ? { attachment_ids: spec.attachmentIds } : {}),
  });
  return withMetadata(inCourse(event, spec.courseId), { event_time: createdAt });
}

export interface ConversationSpec {
  id: string;
  name?: 'conversation_created' | 'conversation_forwarded';
  userId?: string;
  eventTime?: string;
  updatedAt?: string;
}

export function conversationEvent(spec: ConversationSpec): CanvasEvent {
  const eventTime = spec.eventTime ?? '2024-02-01T08:00:00.000Z';
  const event = withBody(fixture(spec.name ?? 'conversation_created'), {
    conversation_id: spec.id,
    updated_at: spec.updatedAt ?? eventTime,
  });
  return withMetadata(event, { event_time: eventTime, ...(spec.userId ? { user_id: spec.userId } : {}) });
}

export interface MessageSpec {
  id: string;
  conversationId: string;
  authorId: string;
  createdAt?: string;
}

export function messageEvent(spec: MessageSpec): CanvasEvent {
  const createdAt = spec.createdAt ?? '2024-02-01T09:00:00.000Z';
  const event = withBody(fixture('conversation_message_created'), {
    message_id: spec.id,
    conversation_id: spec.conversationId,
    author_id: spec.authorId,
    created_at: createdAt,
  });
  return withMetadata(event, { event_time: createdAt });
}

export interface ResourceLinkSpec {
  id: string;
  /** The course the event happened in; also the link's context unless contextType says otherwise. */
  courseId: string;
  contextType?: 'Course' | 'Assignment';
  contextId?: string;
  toolId?: string;
  workflowState?: string;
  url?: string;
  name?: 'lti_resource_link_created' | 'lti_resource_link_updated';
  eventTime?: string;
}

export function resourceLinkEvent(spec: ResourceLinkSpec): CanvasEvent {
  const event = withBody(fixture(spec.name ?? 'lti_resource_link_created'), {
    resource_link_id: spec.id,
    context_id: spec.contextId ?? spec.courseId,
    context_type: spec.contextType ?? 'Course',
    context_external_tool_id: spec.toolId ?? gid(1),
    workflow_state: spec.workflowState ?? 'active',
    ...(spec.url ? { url: spec.url } : {}),
  });
  return withMetadata(inCourse(event, spec.courseId), { event_time: spec.eventTime ?? '2024-01-05T12:00:00.000Z' });
}

/**
 * Stores and projects events (objects, or raw JSON text for numbers JSON.stringify cannot
 * write) through the real event log, in one transaction; fails when one is refused.
 */
export async function ingest(db: TestDatabase, events: Array<CanvasEvent | string>): Promise<string[]> {
  const log = new EventLog(db.dataSource, buildProjectorRegistry());
  const items = events.map((event) => {
    const text = typeof event === 'string' ? event : JSON.stringify(event);
    return { kind: 'event' as const, event: toEnvelopedEvent(parseLossless(text), text) };
  });
  const outcomes = await log.append(items, { route: 'events', contentType: null });
  const refused = outcomes.filter((o) => o.status === 'rejected');
  if (refused.length) throw new Error(`events not stored: ${JSON.stringify(refused.slice(0, 3))}`);
  return outcomes.map((o) => o.id);
}

/** Response data as tests read it: shaped by each query, so untyped on purpose. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type QueryData = any;

export interface GraphQLResponse<D = QueryData> {
  status: number;
  data?: D;
  errors?: Array<{ message: string; path?: string[]; extensions?: Record<string, unknown> }>;
}

/** The real app on the test database, and a way to send it GraphQL over HTTP. */
export async function graphqlClient(db: TestDatabase, env: Record<string, string> = {}) {
  const app: Express = await createApp({
    config: loadConfig({ NODE_ENV: 'test', ...env }),
    dataSource: db.dataSource,
    logger: pino({ level: 'silent' }),
  });
  return {
    app,
    async query<D = QueryData>(query: string, variables: Record<string, unknown> = {}): Promise<GraphQLResponse<D>> {
      const res = await request(app)
        .post('/graphql')
        .set('Content-Type', 'application/json')
        .send({ query, variables });
      return { status: res.status, data: res.body?.data, errors: res.body?.errors };
    },
  };
}

/** `query`'s data, failing the test with the errors when there are any. */
export async function dataOf<D = QueryData>(
  client: Awaited<ReturnType<typeof graphqlClient>>,
  query: string,
  variables: Record<string, unknown> = {},
): Promise<D> {
  const res = await client.query<D>(query, variables);
  if (res.errors?.length || res.status !== 200) throw new Error(`GraphQL ${res.status}: ${JSON.stringify(res.errors)}`);
  return res.data as D;
}
