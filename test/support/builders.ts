// Canvas live events for tests: the shared fixtures (a fresh deep copy each time) and
// builders that vary them — ids (local or global, unique per test), times (any offset,
// with or without milliseconds) and bodies — so every test states only what it is about.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export const FIXTURES_DIR = join(__dirname, '../fixtures/canvas-live-events');

export const FIXTURE_NAMES = [
  'assignment_created',
  'assignment_updated',
  'conversation_created',
  'conversation_forwarded',
  'conversation_message_created',
  'enrollment_created',
  'enrollment_updated',
  'lti_resource_link_created',
  'lti_resource_link_updated',
  'submission_comment_created',
  'submission_created',
  'submission_updated',
] as const;

export type FixtureName = (typeof FIXTURE_NAMES)[number];

/** A Canvas live event as JSON: loose on purpose, tests also build broken ones. */
export interface CanvasEvent {
  metadata: Record<string, unknown>;
  body: Record<string, unknown>;
  [key: string]: unknown;
}

const cache = new Map<FixtureName, string>();

/** The raw text of a fixture file, exactly as on disk. */
export function fixtureText(name: FixtureName): string {
  let text = cache.get(name);
  if (text === undefined) {
    text = readFileSync(join(FIXTURES_DIR, `${name}.json`), 'utf8');
    cache.set(name, text);
  }
  return text;
}

/** A fixture as a fresh object: tests may change it freely. */
export function fixture(name: FixtureName): CanvasEvent {
  return JSON.parse(fixtureText(name)) as CanvasEvent;
}

// ---- ids -------------------------------------------------------------------------

/** The shard of the fixtures' root account (21070000000000001). */
export const FIXTURE_SHARD = 2107n;
const SHARD_FACTOR = 10n ** 13n;

/** `shard * 10^13 + local`, as Canvas builds global ids. */
export function globalIdOf(localId: string | number | bigint, shard: bigint = FIXTURE_SHARD): string {
  return (shard * SHARD_FACTOR + BigInt(localId)).toString();
}

/** The root account id of a shard (its account 1), the id widening reads the shard from. */
export function rootAccountOf(shard: bigint): string {
  return globalIdOf(1, shard);
}

let nextLocal = 7_000_000n + BigInt(process.pid % 1000) * 1000n;

/**
 * A local id no other builder call in this process has returned: tests sharing one
 * database never collide.
 */
export function freshLocalId(): string {
  nextLocal += 1n;
  return nextLocal.toString();
}

// ---- times -----------------------------------------------------------------------

/**
 * `instant` written with a UTC offset in minutes (0 → `Z`), with or without
 * milliseconds: the same instant, the way another Canvas field might spell it.
 */
export function isoWithOffset(
  instant: string | Date,
  offsetMinutes: number,
  options: { millis?: boolean } = {},
): string {
  const date = typeof instant === 'string' ? new Date(instant) : instant;
  if (Number.isNaN(date.getTime())) throw new Error(`not an instant: ${String(instant)}`);
  const shifted = new Date(date.getTime() + offsetMinutes * 60_000).toISOString(); // wall clock at the offset
  const wall = options.millis === false ? shifted.slice(0, 19) : shifted.slice(0, 23);
  if (offsetMinutes === 0) return `${wall}Z`;
  const sign = offsetMinutes < 0 ? '-' : '+';
  const abs = Math.abs(offsetMinutes);
  return `${wall}${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}

/** `instant` moved by `ms` milliseconds, as a UTC ISO string. */
export function plusMs(instant: string, ms: number): string {
  return new Date(new Date(instant).getTime() + ms).toISOString();
}

/** The instant a string stands for, in ms: what tests compare instead of strings. */
export function ms(text: string): number {
  const value = new Date(text).getTime();
  if (Number.isNaN(value)) throw new Error(`not an instant: ${text}`);
  return value;
}

// ---- events ----------------------------------------------------------------------

/** A copy of `event` with metadata fields replaced (undefined removes a field). */
export function withMetadata(event: CanvasEvent, patch: Record<string, unknown>): CanvasEvent {
  return { ...event, metadata: applyPatch(event.metadata, patch) };
}

/** A copy of `event` with body fields replaced (undefined removes a field). */
export function withBody(event: CanvasEvent, patch: Record<string, unknown>): CanvasEvent {
  return { ...event, body: applyPatch(event.body, patch) };
}

function applyPatch(target: Record<string, unknown>, patch: Record<string, unknown>): Record<string, unknown> {
  const out = { ...target };
  for (const [key, value] of Object.entries(patch)) {
    if (value === undefined) delete out[key];
    else out[key] = value;
  }
  return out;
}

export interface SubmissionOptions {
  name?: 'submission_created' | 'submission_updated';
  /** Global submission id (default: a fresh one on the fixture shard). */
  submissionId?: string;
  updatedAt?: string;
  eventTime?: string;
  body?: Record<string, unknown>;
  metadata?: Record<string, unknown>;
}

/** A submission event from its fixture, about one submission at one moment. */
export function submissionEvent(options: SubmissionOptions = {}): CanvasEvent {
  const name = options.name ?? 'submission_updated';
  let event = fixture(name);
  event = withBody(event, {
    submission_id: options.submissionId ?? globalIdOf(freshLocalId()),
    ...(options.updatedAt ? { updated_at: options.updatedAt } : {}),
    ...options.body,
  });
  return withMetadata(event, { ...(options.eventTime ? { event_time: options.eventTime } : {}), ...options.metadata });
}

export interface CommentOptions {
  /** The submission's id as Canvas puts it in this body: local (default) or global. */
  submissionId?: string;
  commentId?: string;
  authorLocalId?: string;
  createdAt?: string;
  eventTime?: string;
  body?: Record<string, unknown>;
  metadata?: Record<string, unknown>;
}

/** A submission_comment_created, with local body ids as Canvas sends them. */
export function commentEvent(options: CommentOptions = {}): CanvasEvent {
  const event = withBody(fixture('submission_comment_created'), {
    submission_comment_id: options.commentId ?? freshLocalId(),
    submission_id: options.submissionId ?? freshLocalId(),
    ...(options.authorLocalId ? { user_id: options.authorLocalId } : {}),
    ...(options.createdAt ? { created_at: options.createdAt } : {}),
    ...options.body,
  });
  return withMetadata(event, { ...(options.eventTime ? { event_time: options.eventTime } : {}), ...options.metadata });
}

export interface ConversationOptions {
  name?: 'conversation_created' | 'conversation_forwarded';
  conversationId?: string;
  updatedAt?: string;
  eventTime?: string;
  metadata?: Record<string, unknown>;
}

export function conversationEvent(options: ConversationOptions = {}): CanvasEvent {
  const event = withBody(fixture(options.name ?? 'conversation_created'), {
    conversation_id: options.conversationId ?? freshLocalId(),
    ...(options.updatedAt ? { updated_at: options.updatedAt } : {}),
  });
  return withMetadata(event, { ...(options.eventTime ? { event_time: options.eventTime } : {}), ...options.metadata });
}

export interface MessageOptions {
  conversationId?: string;
  messageId?: string;
  authorId?: string;
  createdAt?: string;
  eventTime?: string;
}

export function messageEvent(options: MessageOptions = {}): CanvasEvent {
  const event = withBody(fixture('conversation_message_created'), {
    conversation_id: options.conversationId ?? freshLocalId(),
    message_id: options.messageId ?? freshLocalId(),
    ...(options.authorId ? { author_id: options.authorId } : {}),
    ...(options.createdAt ? { created_at: options.createdAt } : {}),
  });
  return options.eventTime ? withMetadata(event, { event_time: options.eventTime }) : event;
}

export interface ResourceLinkOptions {
  name?: 'lti_resource_link_created' | 'lti_resource_link_updated';
  resourceLinkId?: string;
  courseId?: string;
  eventTime?: string;
  body?: Record<string, unknown>;
}

export function resourceLinkEvent(options: ResourceLinkOptions = {}): CanvasEvent {
  const event = withBody(fixture(options.name ?? 'lti_resource_link_created'), {
    resource_link_id: options.resourceLinkId ?? globalIdOf(freshLocalId()),
    ...(options.courseId ? { context_id: options.courseId } : {}),
    ...options.body,
  });
  return options.eventTime ? withMetadata(event, { event_time: options.eventTime }) : event;
}

/** An event that no projector knows, with a proper envelope. */
export function unknownEvent(name = `grade_override_created_${freshLocalId()}`): CanvasEvent {
  return withMetadata(fixture('submission_updated'), { event_name: name });
}

/** Metadata for a course context: the course, its account and SIS id as Canvas sends them. */
export function courseContext(courseId: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { context_type: 'Course', context_id: courseId, ...extra };
}

// ---- request bodies --------------------------------------------------------------

/** One event a line. */
export function ndjson(items: unknown[]): string {
  return items.map((item) => (typeof item === 'string' ? item : JSON.stringify(item))).join('\n') + '\n';
}

/** Every permutation of `items` (n! of them; keep n small). */
export function permutations<T>(items: readonly T[]): T[][] {
  if (items.length <= 1) return [items.slice()];
  return items.flatMap((item, i) =>
    permutations([...items.slice(0, i), ...items.slice(i + 1)]).map((rest) => [item, ...rest]),
  );
}
