// Generated Canvas corpora for property tests: events of every projected type over a
// small shared world of ids (so events meet on the same rows), with clocks on a coarse
// grid (so equal clocks with different content happen often), every instant spelled with
// some UTC offset, body ids sometimes local and sometimes global (or a JSON number), and
// now and then an unknown or invalid event. Plus delivery plans: a permutation of the
// corpus with duplicates (some re-serialised differently), cut into batches.
// Built on the fixture builders in ./builders (and ./lti for launches): this file only
// decides what varies. Every projected event name has an entry in `generators`.
import fc from 'fast-check';
import { CanvasEvent, fixture, globalIdOf, isoWithOffset, rootAccountOf, withBody, withMetadata } from './builders';
import { CONSUMER_KEY, launchParams } from './lti';

const T0 = Date.parse('2024-03-01T12:00:00.000Z');
const OFFSETS = [0, -360, -420, 60, 120, 330, 600, -600];

/** One world: two shards, a few courses and users, and entity ids that events share. */
const SHARDS = [2107n, 2108n] as const;
/** The LTI guid of each shard's root account (one account per guid, as in Canvas). */
const GUIDS = new Map<bigint, string>([
  [SHARDS[0], 'VicYj3cu5BIFpoZhDVU4DZumnlBrWi1grgJEzADs.oxana.instructure.com'],
  [SHARDS[1], 'shard2108.oxana.instructure.com'],
]);
const COURSES = ['565', '566'];
const ACCOUNTS = ['79', '80'];
const USERS = ['47', '48', '12345'];
const SUBMISSIONS = ['1001', '1002', '1003', '1004'];
const COMMENTS = ['5001', '5002', '5003', '5004', '5005', '5006'];
const CONVERSATIONS = ['301', '302', '303'];
const MESSAGES = ['401', '402', '403', '404', '405', '406'];
const LINKS = ['601', '602', '603'];
const ASSIGNMENTS = ['371', '372', '373'];
const ENROLLMENTS = ['46825', '46826', '46827', '46828'];
const SECTIONS = ['4811', '598'];

// Parents are fixed per child, courses per submission and link, shards per conversation:
// Canvas never moves a comment to another submission, and a local id is only meaningful
// on its shard. Everything else (state, times, which fields are present) varies.
const courseOfSubmission = (s: string) => COURSES[SUBMISSIONS.indexOf(s) % COURSES.length];
const submissionOfComment = (c: string) => SUBMISSIONS[COMMENTS.indexOf(c) % SUBMISSIONS.length];
const conversationOfMessage = (m: string) => CONVERSATIONS[MESSAGES.indexOf(m) % CONVERSATIONS.length];
const courseOfLink = (l: string) => COURSES[LINKS.indexOf(l) % COURSES.length];
const shardOfConversation = (c: string) => SHARDS[CONVERSATIONS.indexOf(c) % SHARDS.length];
const courseOfConversation = (c: string) => COURSES[CONVERSATIONS.indexOf(c) % COURSES.length];
const courseOfAssignment = (a: string) => COURSES[ASSIGNMENTS.indexOf(a) % COURSES.length];
const courseOfEnrollment = (e: string) => COURSES[ENROLLMENTS.indexOf(e) % COURSES.length];
const userOfEnrollment = (e: string) => USERS[ENROLLMENTS.indexOf(e) % USERS.length];

/** A moment on a coarse grid (whole seconds, sometimes +250 ms), spelled with some offset. */
const instant = fc
  .record({
    second: fc.integer({ min: 0, max: 30 }),
    quarter: fc.boolean(),
    offset: fc.constantFrom(...OFFSETS),
    millis: fc.boolean(),
  })
  .map(({ second, quarter, offset, millis }) =>
    isoWithOffset(new Date(T0 + second * 1000 + (quarter ? 250 : 0)), offset, { millis }),
  );

type IdSpelling = 'local' | 'global' | 'number';
const spelling = fc.constantFrom<IdSpelling>('local', 'global', 'number');

/** A body id as Canvas might put it: local (widened by root_account_id), global, or a JSON number. */
function spell(local: string, how: IdSpelling, shard: bigint = SHARDS[0]): string | number {
  if (how === 'global') return globalIdOf(local, shard);
  return how === 'number' ? Number(local) : local;
}

/** Course context metadata: the course, and its account and SIS id when this event carries them. */
const courseMetadata = (courseLocal: string) =>
  fc
    .record({
      present: fc.boolean(),
      account: fc.constantFrom<'absent' | string>('absent', ...ACCOUNTS),
      sis: fc.constantFrom<string | null | undefined>(undefined, null, `SIS-${courseLocal}`, `SIS-${courseLocal}-b`),
    })
    .map(({ present, account, sis }): Record<string, unknown> =>
      present
        ? {
            context_type: 'Course',
            context_id: globalIdOf(courseLocal),
            context_account_id: account === 'absent' ? undefined : globalIdOf(account),
            context_sis_source_id: sis,
          }
        : {
            context_type: undefined,
            context_id: undefined,
            context_account_id: undefined,
            context_sis_source_id: undefined,
          },
    );

/** A body field as Canvas may send it: a value, an explicit null, or left out. */
const maybe = <T>(arb: fc.Arbitrary<T>): fc.Arbitrary<T | null | undefined> =>
  fc.oneof(
    { arbitrary: arb, weight: 4 },
    { arbitrary: fc.constant(null), weight: 1 },
    { arbitrary: fc.constant(undefined), weight: 1 },
  );

const submission = fc
  .record({
    id: fc.constantFrom(...SUBMISSIONS),
    name: fc.constantFrom('submission_created' as const, 'submission_updated' as const),
    how: spelling,
    updatedAt: fc.option(instant, { nil: undefined }),
    eventTime: instant,
    grade: maybe(fc.constantFrom('A', 'B', 'F', 'complete', '√ ✓')),
    score: maybe(fc.constantFrom(0, 10, 99.5, 100)),
    workflowState: maybe(fc.constantFrom('submitted', 'graded', 'pending_review', 'unsubmitted')),
    late: maybe(fc.boolean()),
    body: maybe(fc.constantFrom('Test Submission Data', 'Ünïcödé 🎉')),
    submittedAt: maybe(instant),
    postedAt: maybe(instant),
    user: fc.constantFrom(...USERS),
    attempt: maybe(fc.integer({ min: 1, max: 3 })),
    assignment: fc.constantFrom(...ASSIGNMENTS),
  })
  .chain((s) => courseMetadata(courseOfSubmission(s.id)).map((context) => ({ ...s, context })))
  .map((s): CanvasEvent => {
    const event = withBody(fixture(s.name), {
      submission_id: spell(s.id, s.how),
      assignment_id: spell(s.assignment, s.how === 'number' ? 'global' : s.how),
      user_id: spell(s.user, s.how === 'number' ? 'local' : s.how),
      updated_at: s.updatedAt,
      grade: s.grade,
      score: s.score,
      workflow_state: s.workflowState,
      late: s.late,
      body: s.body,
      submitted_at: s.submittedAt,
      posted_at: s.postedAt,
      attempt: s.attempt,
    });
    return withMetadata(event, { event_time: s.eventTime, root_account_id: rootAccountOf(SHARDS[0]), ...s.context });
  });

const comment = fc
  .record({
    id: fc.constantFrom(...COMMENTS),
    how: spelling,
    createdAt: fc.option(instant, { nil: undefined }),
    eventTime: instant,
    author: fc.constantFrom(...USERS),
    text: fc.constantFrom('See the attached files', 'Nice work 👍', '很好', ''),
    attachments: fc.subarray(['54417187', '54417188', '54417189']),
  })
  .chain((c) => courseMetadata(courseOfSubmission(submissionOfComment(c.id))).map((context) => ({ ...c, context })))
  .map((c): CanvasEvent => {
    const event = withBody(fixture('submission_comment_created'), {
      submission_comment_id: spell(c.id, c.how),
      submission_id: spell(submissionOfComment(c.id), c.how === 'global' ? 'local' : 'global'),
      user_id: c.author,
      body: c.text,
      created_at: c.createdAt,
      attachment_ids: c.attachments,
    });
    return withMetadata(event, { event_time: c.eventTime, ...c.context });
  });

const conversation = fc
  .record({
    id: fc.constantFrom(...CONVERSATIONS),
    name: fc.constantFrom('conversation_created' as const, 'conversation_forwarded' as const),
    how: spelling,
    eventTime: instant,
    updatedAt: fc.option(instant, { nil: undefined }),
    user: fc.constantFrom(...USERS),
  })
  .chain((c) => courseMetadata(courseOfConversation(c.id)).map((context) => ({ ...c, context })))
  .map((c): CanvasEvent => {
    const shard = shardOfConversation(c.id);
    const event = withBody(fixture(c.name), { conversation_id: spell(c.id, c.how, shard), updated_at: c.updatedAt });
    return withMetadata(event, {
      ...c.context,
      event_time: c.eventTime,
      root_account_id: rootAccountOf(shard),
      root_account_lti_guid: GUIDS.get(shard),
      user_id: globalIdOf(c.user, shard),
    });
  });

const message = fc
  .record({
    id: fc.constantFrom(...MESSAGES),
    how: spelling,
    createdAt: fc.option(instant, { nil: undefined }),
    eventTime: instant,
    author: fc.constantFrom(...USERS),
  })
  .chain((m) => courseMetadata(courseOfConversation(conversationOfMessage(m.id))).map((context) => ({ ...m, context })))
  .map((m): CanvasEvent => {
    const conversationId = conversationOfMessage(m.id);
    const shard = shardOfConversation(conversationId);
    const event = withBody(fixture('conversation_message_created'), {
      message_id: spell(m.id, m.how, shard),
      conversation_id: spell(conversationId, m.how === 'global' ? 'local' : 'global', shard),
      author_id: m.author,
      created_at: m.createdAt,
    });
    return withMetadata(event, {
      ...m.context,
      event_time: m.eventTime,
      root_account_id: rootAccountOf(shard),
      root_account_lti_guid: GUIDS.get(shard),
    });
  });

const resourceLink = fc
  .record({
    id: fc.constantFrom(...LINKS),
    name: fc.constantFrom('lti_resource_link_created' as const, 'lti_resource_link_updated' as const),
    how: spelling,
    eventTime: instant,
    inCourse: fc.boolean(),
    workflowState: maybe(fc.constantFrom('active', 'deleted')),
    url: maybe(fc.constantFrom('https://example.com/lti/launch', 'https://example.com/lti/deep_link/12345')),
    lookupUuid: maybe(fc.constantFrom('e51c95d8-d609-44bc-9f05-70e0e688d204', 'f00dfeed-0000-4000-8000-000000000000')),
    tool: maybe(fc.constantFrom('1', '2')),
    title: maybe(fc.constantFrom('Week 3 reading quiz', 'Reading quiz (live)', 'Ünïcödé 🎉')),
  })
  .chain((l) => courseMetadata(courseOfLink(l.id)).map((context) => ({ ...l, context })))
  .map((l): CanvasEvent => {
    const course = courseOfLink(l.id);
    const event = withBody(fixture(l.name), {
      resource_link_id: spell(l.id, l.how),
      // Placed in the course itself, or in one of its assignments.
      context_type: l.inCourse ? 'Course' : 'Assignment',
      context_id: l.inCourse ? spell(course, l.how) : spell(`9${course}`, l.how),
      workflow_state: l.workflowState,
      url: l.url,
      lookup_uuid: l.lookupUuid,
      context_external_tool_id: typeof l.tool === 'string' ? spell(l.tool, l.how) : l.tool,
      title: l.title,
    });
    return withMetadata(event, { event_time: l.eventTime, ...l.context });
  });

const assignment = fc
  .record({
    id: fc.constantFrom(...ASSIGNMENTS),
    name: fc.constantFrom('assignment_created' as const, 'assignment_updated' as const),
    how: spelling,
    updatedAt: fc.option(instant, { nil: undefined }),
    eventTime: instant,
    inBody: fc.boolean(),
    title: maybe(fc.constantFrom('Essay 1', 'Essay 1 (revised)', 'Ünïcödé 🎉')),
    description: maybe(fc.constantFrom('<p>test assignment</p>', '')),
    dueAt: maybe(instant),
    unlockAt: maybe(instant),
    lockAt: maybe(instant),
    points: maybe(fc.constantFrom(0, 10, 99.5, 100)),
    types: maybe(fc.constantFrom('online_upload', 'online_url,online_upload', 'none')),
    workflowState: maybe(fc.constantFrom('published', 'unpublished', 'deleted')),
  })
  .chain((a) => courseMetadata(courseOfAssignment(a.id)).map((context) => ({ ...a, context })))
  .map((a): CanvasEvent => {
    const course = courseOfAssignment(a.id);
    const event = withBody(fixture(a.name), {
      assignment_id: spell(a.id, a.how),
      // Canvas sends the course in the body; an older or trimmed payload may not.
      context_id: a.inBody ? spell(course, a.how === 'number' ? 'global' : a.how) : undefined,
      context_type: a.inBody ? 'Course' : undefined,
      updated_at: a.updatedAt,
      title: a.title,
      description: a.description,
      due_at: a.dueAt,
      unlock_at: a.unlockAt,
      lock_at: a.lockAt,
      points_possible: a.points,
      submission_types: a.types,
      workflow_state: a.workflowState,
    });
    return withMetadata(event, { event_time: a.eventTime, ...a.context });
  });

// An enrollment's course and user are fixed (Canvas never moves one); its section, type,
// state, times and the fields present vary.
const enrollment = fc
  .record({
    id: fc.constantFrom(...ENROLLMENTS),
    name: fc.constantFrom('enrollment_created' as const, 'enrollment_updated' as const),
    how: spelling,
    updatedAt: fc.option(instant, { nil: undefined }),
    createdAt: maybe(instant),
    eventTime: instant,
    section: maybe(fc.constantFrom(...SECTIONS)),
    type: maybe(fc.constantFrom('StudentEnrollment', 'TaEnrollment')),
    role: fc.option(fc.constantFrom('StudentEnrollment', 'Peer Reviewer'), { nil: undefined }),
    workflowState: maybe(fc.constantFrom('active', 'invited', 'completed', 'deleted')),
    userName: maybe(fc.constantFrom('Isaac Newton', 'Isaac Netwon', 'Émilie du Châtelet')),
    // Metadata: the course context (the created example), or a SIS job's bare metadata (the updated one).
    withContext: fc.boolean(),
  })
  .map((e): CanvasEvent => {
    const course = courseOfEnrollment(e.id);
    const ids = e.how === 'number' ? 'global' : e.how;
    const event = withBody(fixture(e.name), {
      enrollment_id: spell(e.id, e.how),
      course_id: spell(course, ids),
      user_id: spell(userOfEnrollment(e.id), ids),
      course_section_id: typeof e.section === 'string' ? spell(e.section, ids) : e.section,
      type: e.type,
      role: e.role,
      workflow_state: e.workflowState,
      user_name: e.userName,
      created_at: e.createdAt,
      updated_at: e.updatedAt,
    });
    return withMetadata(event, {
      event_time: e.eventTime,
      root_account_id: rootAccountOf(SHARDS[0]),
      context_type: e.withContext ? 'Course' : undefined,
      context_id: e.withContext ? globalIdOf(course) : undefined,
      context_account_id: undefined,
      context_sis_source_id: undefined,
    });
  });

/** A launch's consumer: a shard's root account, or one no live event names (its launches wait). */
const CONSUMERS = [...GUIDS.values(), 'other.example.edu'];
// As with live events, what launches say of a context's course and a user's Canvas id is
// fixed per context and user: Canvas never moves an LTI context to another course.
const CONTEXTS = [
  { id: 'ctx-a', course: COURSES[0], group: false },
  { id: 'ctx-b', course: COURSES[1], group: false },
  { id: 'ctx-c', course: undefined, group: false },
  { id: 'ctx-g', course: COURSES[0], group: true },
];
const LTI_USERS = [{ id: 'lti-user-a', canvas: USERS[0] }, { id: 'lti-user-b', canvas: USERS[1] }, undefined];

/** LTI launches (the event the launch route stores) into the same courses, links and users. */
const launch = fc
  .record({
    consumer: fc.constantFrom(...CONSUMERS),
    context: fc.constantFrom(...CONTEXTS),
    // The live links' uuid, or a link only launches know.
    link: fc.constantFrom('c38a6baf-4d77-43ac-99f8-4be37483c9d9', 'link-b'),
    user: fc.constantFrom(...LTI_USERS),
    title: fc.constantFrom('Week 3 reading quiz', 'Week 3 (renamed)'),
    email: fc.constantFrom('ada@example.edu', 'ada.l@example.edu'),
    receivedAt: instant,
    nonce: fc.integer({ min: 1, max: 1_000_000 }),
  })
  .map((l): CanvasEvent => ({
    metadata: { event_name: 'lti_launch', event_time: l.receivedAt, producer: 'lti' },
    body: {
      ...launchParams({
        tool_consumer_instance_guid: l.consumer,
        context_id: l.context.id,
        context_type: l.context.group ? 'Group' : 'CourseSection',
        custom_canvas_course_id: l.context.course ?? '$Canvas.course.id',
        // Each consumer its own resource_link_ids: only the fixtures' consumer places the live links.
        resource_link_id: l.consumer === CONSUMERS[0] ? l.link : `${l.link}-${CONSUMERS.indexOf(l.consumer)}`,
        resource_link_title: l.title,
        user_id: l.user?.id,
        custom_canvas_user_id: l.user?.canvas,
        lis_person_contact_email_primary: l.email,
      }),
      oauth_consumer_key: CONSUMER_KEY,
      oauth_nonce: `n${l.nonce}`,
    },
  }));

/** Every projected event family: the names its generator produces, and how often it is drawn. */
export const generators: { names: readonly string[]; arbitrary: fc.Arbitrary<CanvasEvent>; weight: number }[] = [
  { names: ['submission_created', 'submission_updated'], arbitrary: submission, weight: 10 },
  { names: ['submission_comment_created'], arbitrary: comment, weight: 6 },
  { names: ['conversation_created', 'conversation_forwarded'], arbitrary: conversation, weight: 4 },
  { names: ['conversation_message_created'], arbitrary: message, weight: 6 },
  { names: ['lti_resource_link_created', 'lti_resource_link_updated'], arbitrary: resourceLink, weight: 6 },
  { names: ['assignment_created', 'assignment_updated'], arbitrary: assignment, weight: 1 },
  { names: ['enrollment_created', 'enrollment_updated'], arbitrary: enrollment, weight: 1 },
  { names: ['lti_launch'], arbitrary: launch, weight: 1 },
];

/** Kept in the log but never projected: an unknown type, or a known type with a broken body. */
const unprojected = fc
  .record({ kind: fc.constantFrom('unknown', 'invalid'), eventTime: instant, n: fc.integer({ min: 1, max: 3 }) })
  .map(({ kind, eventTime, n }): CanvasEvent =>
    kind === 'unknown'
      ? withMetadata(fixture('submission_updated'), { event_name: `grade_change_${n}`, event_time: eventTime })
      : withMetadata(withBody(fixture('submission_updated'), { submission_id: `not-an-id-${n}` }), {
          event_time: eventTime,
        }),
  );

/** One generated event of any kind, weighted towards the ones that share rows. */
export const canvasEventArbitrary: fc.Arbitrary<CanvasEvent> = fc.oneof(
  ...generators.map(({ arbitrary, weight }) => ({ arbitrary, weight })),
  { arbitrary: unprojected, weight: 2 },
);

/** A corpus of 1..maxLength events over the shared world (identical draws are simply duplicates). */
export function corpusArbitrary(maxLength = 40): fc.Arbitrary<CanvasEvent[]> {
  return fc.array(canvasEventArbitrary, { minLength: 1, maxLength, size: 'max' });
}

// ---- delivery --------------------------------------------------------------------

/** One delivered item: which corpus event, and how it is spelled on the wire. */
export interface DeliveredItem {
  index: number;
  /** 0: as generated; 1: keys reversed; 2: pretty-printed. Same content, same event. */
  variant: 0 | 1 | 2;
}

/** Requests in the order they are sent; a request of one item is a single delivery. */
export type DeliveryPlan = DeliveredItem[][];

/**
 * A delivery of a corpus of `n` events: every event at least once, in any order, some
 * more than once (Canvas retries), grouped into requests of 1..8 items.
 */
export function deliveryPlanArbitrary(n: number): fc.Arbitrary<DeliveryPlan> {
  const indices = Array.from({ length: n }, (_, i) => i);
  const variant = fc.constantFrom<0 | 1 | 2>(0, 1, 2);
  return fc
    .record({
      order: fc.shuffledSubarray(indices, { minLength: n, maxLength: n }),
      variants: fc.array(variant, { minLength: n, maxLength: n }),
      duplicates: fc.array(fc.record({ index: fc.nat(n - 1), at: fc.nat(), variant }), { maxLength: Math.ceil(n / 2) }),
      sizes: fc.array(fc.integer({ min: 1, max: 8 }), { minLength: 1, maxLength: 6 }),
    })
    .map(({ order, variants, duplicates, sizes }) => {
      const items: DeliveredItem[] = order.map((index, i) => ({ index, variant: variants[i] }));
      for (const d of duplicates) items.splice(d.at % (items.length + 1), 0, { index: d.index, variant: d.variant });
      const plan: DeliveryPlan = [];
      for (let at = 0, s = 0; at < items.length; s++) {
        const size = sizes[s % sizes.length];
        plan.push(items.slice(at, at + size));
        at += size;
      }
      return plan;
    });
}

/** A corpus and a way of delivering it. */
export function corpusAndDeliveryArbitrary(
  maxLength = 40,
): fc.Arbitrary<{ corpus: CanvasEvent[]; plan: DeliveryPlan }> {
  return corpusArbitrary(maxLength).chain((corpus) =>
    deliveryPlanArbitrary(corpus.length).map((plan) => ({ corpus, plan })),
  );
}

/** The wire text of an event in one of the spellings of DeliveredItem.variant. */
export function spelled(event: CanvasEvent, variant: DeliveredItem['variant']): string {
  if (variant === 1) {
    const reverse = (o: Record<string, unknown>) => Object.fromEntries(Object.entries(o).reverse());
    return JSON.stringify({ body: reverse(event.body), metadata: reverse(event.metadata) });
  }
  return variant === 2 ? JSON.stringify(event, null, 2) : JSON.stringify(event);
}

/**
 * `size` distinct events (no two with the same content) drawn from the generator with a
 * fixed seed: a reproducible stream for outage, crash and concurrency tests.
 */
export function sampleCorpus(size: number, seed: number): CanvasEvent[] {
  const seen = new Set<string>();
  const events: CanvasEvent[] = [];
  for (let round = 0; events.length < size; round++) {
    if (round > 50) throw new Error(`only ${events.length} distinct events for ${size} asked`);
    for (const event of fc.sample(canvasEventArbitrary, { numRuns: size, seed: seed + round })) {
      const key = JSON.stringify(canonical(event));
      if (seen.has(key) || events.length >= size) continue;
      seen.add(key);
      events.push(event);
    }
  }
  return events;
}

function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((k) => [k, canonical((value as Record<string, unknown>)[k])]),
    );
  }
  return value;
}
