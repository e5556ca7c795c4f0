// The aggregate engine against a generated course, on both databases: 34 students, 6
// assignments, grades, late and missing work, resubmissions (an older event and a newer
// one), comments over three weeks across the daylight-saving changes of Berlin (27 Oct
// 2024) and Chicago (3 Nov 2024), and conversations, all ingested as Canvas events through
// the real event log. Every aggregate is compared with what this file computes in JS from
// the events it generated: the latest event per submission is its state, groups are
// formed and ordered here, sums and a two-pass population stddev computed here.
import { BadInputError } from '../../src/errors';
import { aggregate, StatsFilter, StatsKey, StatsPage } from '../../src/reporting/aggregate';
import {
  ActivityStats,
  CommentGroupBy,
  commentDataset,
  MessageGroupBy,
  messageDataset,
  SubmissionGroupBy,
  submissionDataset,
  SubmissionStats,
} from '../../src/reporting/datasets';
import { bucketStart, BucketUnit, timeZoneOf } from '../../src/reporting/time-buckets';
import { random } from '../../bench/lib/corpus';
import { describeEachDatabase, TestDatabase } from '../support/databases';
import { CanvasEvent, withBody } from '../support/builders';
import {
  commentEvent,
  conversationEvent,
  gid,
  ingest,
  messageEvent,
  submissionEvent,
} from '../support/graphql-fixtures';

// ---- the generated course ------------------------------------------------------------

interface SubmissionState {
  id: string;
  courseId: string;
  assignmentId: string;
  userId: string;
  workflowState: string;
  submissionType: string | null;
  late: boolean | null;
  missing: boolean | null;
  score: number | null;
  submittedAt: string | null;
  gradedAt: string | null;
  updatedAt: string;
}

interface CommentFact {
  id: string;
  submissionId: string;
  courseId: string;
  authorId: string;
  createdAt: string;
}

interface MessageFact {
  id: string;
  conversationId: string;
  authorId: string;
  createdAt: string;
}

const COURSE = gid(8_100_001);
const OTHER_COURSE = gid(8_100_002);
const TEACHER = gid(8_200_000);
const STUDENTS = Array.from({ length: 34 }, (_, i) => gid(8_200_001 + i));
const ASSIGNMENTS = Array.from({ length: 6 }, (_, i) => gid(8_300_001 + i));
const FROM = Date.parse('2024-10-21T00:00:00Z');
const SPAN = 22 * 86_400_000; // to 12 November: both changes, and October → November
const TYPES = ['online_text_entry', 'online_upload', 'online_quiz', 'Online_Upload', null];

function generate() {
  const next = random(2024_11_03);
  const pick = <T>(items: readonly T[]) => items[Math.floor(next() * items.length)];
  const instant = (from = FROM, span = SPAN) => new Date(from + Math.floor(next() * span)).toISOString();
  const events: CanvasEvent[] = [];
  const states: SubmissionState[] = [];
  let local = 8_400_000;

  const courses: Array<[string, string[], string[]]> = [
    [COURSE, STUDENTS, ASSIGNMENTS],
    [OTHER_COURSE, STUDENTS.slice(0, 5), [gid(8_300_101)]],
  ];
  for (const [courseId, students, assignments] of courses) {
    for (const assignmentId of assignments) {
      for (const userId of students) {
        const roll = next();
        const workflowState =
          roll < 0.15 ? 'unsubmitted' : roll < 0.55 ? 'submitted' : roll < 0.6 ? 'pending_review' : 'graded';
        const unsubmitted = workflowState === 'unsubmitted';
        const missing = unsubmitted ? next() < 0.7 : next() < 0.03 ? null : false;
        const submittedAt = unsubmitted ? null : instant();
        // Some missing work is auto-graded 0; graded work has a score, others sometimes.
        const scored =
          workflowState === 'graded' || (!unsubmitted && next() < 0.2) || (missing === true && next() < 0.5);
        const score = scored ? (missing === true ? 0 : Math.round(next() * 4000) / 40) : null;
        const gradedAt =
          workflowState === 'graded' || (missing === true && scored)
            ? instant(Date.parse(submittedAt ?? '2024-10-21T00:00:00Z'), 86_400_000)
            : null;
        const state: SubmissionState = {
          id: gid(++local),
          courseId,
          assignmentId,
          userId,
          workflowState,
          submissionType: unsubmitted ? null : pick(TYPES),
          late: unsubmitted ? false : next() < 0.25 ? true : next() < 0.05 ? null : false,
          missing,
          score,
          submittedAt,
          gradedAt,
          updatedAt: new Date(Date.parse('2024-11-20T00:00:00Z') + local * 1000).toISOString(),
        };
        states.push(state);
        // A resubmission: an older event with other values comes first, or after (late delivery).
        if (next() < 0.3) {
          const stale = submissionEventOf({
            ...state,
            workflowState: 'submitted',
            score: 55,
            late: !state.late,
            submittedAt: instant(),
            updatedAt: new Date(Date.parse(state.updatedAt) - 86_400_000).toISOString(),
          });
          if (next() < 0.5) events.push(stale, submissionEventOf(state));
          else events.push(submissionEventOf(state), stale);
        } else {
          events.push(submissionEventOf(state));
        }
      }
    }
  }

  const comments: CommentFact[] = [];
  const commented = states.filter((s) => s.courseId === COURSE);
  for (let i = 0; i < 220; i++) {
    const submission = pick(commented);
    comments.push({
      id: gid(++local),
      submissionId: submission.id,
      courseId: submission.courseId,
      authorId: next() < 0.4 ? TEACHER : submission.userId,
      createdAt: instant(),
    });
  }
  // Both ends of Chicago's 25-hour 3 November (05:00Z to 06:00Z the next day), and Berlin's 27 October.
  for (const createdAt of [
    '2024-11-03T05:00:00.000Z',
    '2024-11-04T05:59:59.999Z',
    '2024-11-04T06:00:00.000Z',
    '2024-10-26T22:00:00.000Z',
    '2024-10-27T22:59:59.999Z',
  ]) {
    comments.push({ id: gid(++local), submissionId: commented[0].id, courseId: COURSE, authorId: TEACHER, createdAt });
  }
  for (const c of comments)
    events.push(
      commentEvent({
        id: c.id,
        submissionId: c.submissionId,
        courseId: c.courseId,
        authorId: c.authorId,
        createdAt: c.createdAt,
      }),
    );

  const messages: MessageFact[] = [];
  const conversations = Array.from({ length: 6 }, () => gid(++local));
  for (const id of conversations)
    events.push(conversationEvent({ id, userId: pick(STUDENTS), eventTime: '2024-10-20T12:00:00.000Z' }));
  for (let i = 0; i < 90; i++) {
    const m = {
      id: gid(++local),
      conversationId: pick(conversations),
      authorId: pick([...STUDENTS.slice(0, 8), TEACHER]),
      createdAt: instant(),
    };
    messages.push(m);
    events.push(messageEvent(m));
  }
  return { events, states, comments, messages };
}

function submissionEventOf(s: SubmissionState): CanvasEvent {
  const event = submissionEvent({
    id: s.id,
    courseId: s.courseId,
    assignmentId: s.assignmentId,
    userId: s.userId,
    workflowState: s.workflowState,
    late: s.late,
    missing: s.missing,
    score: s.score,
    submittedAt: s.submittedAt,
    updatedAt: s.updatedAt,
  });
  return withBody(event, { graded_at: s.gradedAt, submission_type: s.submissionType });
}

// ---- the reference, in JS ------------------------------------------------------------

type KeyOf<T> = (item: T) => Partial<StatsKey>;

/** Groups `items` by `keyOf`, ordered dimension by dimension in `fields` order, nulls first. */
function groupsOf<T>(items: T[], fields: Array<keyof StatsKey>, keyOf: KeyOf<T>): Array<[StatsKey, T[]]> {
  const groups = new Map<string, [StatsKey, T[]]>();
  for (const item of items) {
    const partial = keyOf(item);
    const key = emptyKey();
    for (const f of fields) (key as unknown as Record<string, unknown>)[f] = partial[f] ?? null;
    const id = JSON.stringify(fields.map((f) => key[f]));
    if (!groups.has(id)) groups.set(id, [key, []]);
    groups.get(id)![1].push(item);
  }
  return [...groups.values()].sort(([a], [b]) => {
    for (const f of fields) {
      const c = compareValues(a[f], b[f]);
      if (c) return c;
    }
    return 0;
  });
}

function compareValues(a: unknown, b: unknown): number {
  if (a === b) return 0;
  if (a === null) return -1;
  if (b === null) return 1;
  if (a instanceof Date && b instanceof Date) return a.getTime() - b.getTime();
  if (typeof a === 'boolean') return a ? 1 : -1;
  if (typeof a === 'string' && /^\d+$/.test(a) && /^\d+$/.test(b as string))
    return BigInt(a) < BigInt(b as string) ? -1 : 1;
  return Buffer.compare(Buffer.from(String(a)), Buffer.from(String(b)));
}

function emptyKey(): StatsKey {
  return {
    courseId: null,
    assignmentId: null,
    userId: null,
    submissionId: null,
    conversationId: null,
    authorId: null,
    workflowState: null,
    submissionType: null,
    late: null,
    missing: null,
    period: null,
  };
}

function numberStats(values: number[]) {
  if (!values.length) return { count: 0, sum: null, avg: null, min: null, max: null, stddev: null };
  const sum = values.reduce((a, b) => a + b, 0);
  const avg = sum / values.length;
  const variance = values.reduce((a, x) => a + (x - avg) ** 2, 0) / values.length;
  return {
    count: values.length,
    sum,
    avg,
    min: Math.min(...values),
    max: Math.max(...values),
    stddev: Math.sqrt(variance),
  };
}

const earliest = (times: Array<string | null>) => {
  const ms = times.filter((t): t is string => t !== null).map(Date.parse);
  return ms.length ? new Date(Math.min(...ms)) : null;
};
const latest = (times: Array<string | null>) => {
  const ms = times.filter((t): t is string => t !== null).map(Date.parse);
  return ms.length ? new Date(Math.max(...ms)) : null;
};

function submissionStatsOf(key: StatsKey, rows: SubmissionState[]): SubmissionStats {
  return {
    key,
    count: rows.length,
    submittedCount: rows.filter((r) => r.submittedAt !== null).length,
    gradedCount: rows.filter((r) => r.gradedAt !== null || r.workflowState === 'graded').length,
    lateCount: rows.filter((r) => r.late === true).length,
    missingCount: rows.filter((r) => r.missing === true).length,
    score: numberStats(rows.filter((r) => r.score !== null).map((r) => r.score!)),
    firstSubmittedAt: earliest(rows.map((r) => r.submittedAt)),
    lastSubmittedAt: latest(rows.map((r) => r.submittedAt)),
  };
}

function activityStatsOf(key: StatsKey, rows: Array<{ createdAt: string }>): ActivityStats {
  return {
    key,
    count: rows.length,
    first: earliest(rows.map((r) => r.createdAt)),
    last: latest(rows.map((r) => r.createdAt)),
  };
}

const PERIODS: Record<string, BucketUnit> = { DAY: 'DAY', WEEK: 'WEEK', MONTH: 'MONTH' };

function periodOf(instant: string | null, groupBy: readonly string[], zone: string): Date | null {
  const unit = groupBy.map((g) => PERIODS[g]).find(Boolean);
  if (!unit || instant === null) return null;
  return bucketStart(new Date(instant), timeZoneOf(zone), unit);
}

const SUBMISSION_FIELDS: Record<SubmissionGroupBy, keyof StatsKey> = {
  COURSE: 'courseId',
  ASSIGNMENT: 'assignmentId',
  USER: 'userId',
  WORKFLOW_STATE: 'workflowState',
  SUBMISSION_TYPE: 'submissionType',
  LATE: 'late',
  MISSING: 'missing',
  DAY: 'period',
  WEEK: 'period',
  MONTH: 'period',
};

function expectedSubmissionStats(states: SubmissionState[], groupBy: SubmissionGroupBy[], zone = 'UTC') {
  const fields = groupBy.map((g) => SUBMISSION_FIELDS[g]);
  return groupsOf(states, fields, (s) => ({ ...s, period: periodOf(s.submittedAt, groupBy, zone) })).map(
    ([key, rows]) => submissionStatsOf(key, rows),
  );
}

function expectedActivity<T extends { createdAt: string }>(
  items: T[],
  groupBy: string[],
  fieldOf: Record<string, keyof StatsKey>,
  keyOf: (item: T) => Partial<StatsKey>,
  zone: string,
) {
  const fields = groupBy.map((g) => fieldOf[g]);
  return groupsOf(items, fields, (item) => ({ ...keyOf(item), period: periodOf(item.createdAt, groupBy, zone) })).map(
    ([key, rows]) => activityStatsOf(key, rows),
  );
}

const COMMENT_FIELDS: Record<CommentGroupBy, keyof StatsKey> = {
  COURSE: 'courseId',
  SUBMISSION: 'submissionId',
  AUTHOR: 'authorId',
  DAY: 'period',
  WEEK: 'period',
  MONTH: 'period',
};
const MESSAGE_FIELDS: Record<MessageGroupBy, keyof StatsKey> = {
  CONVERSATION: 'conversationId',
  AUTHOR: 'authorId',
  DAY: 'period',
  WEEK: 'period',
  MONTH: 'period',
};

/** Floats summed in another order differ in the last bits: equal within 1e-9, relative. */
function closeEnough<T>(actual: T, expected: T): T {
  if (typeof actual === 'number' && typeof expected === 'number')
    return (Math.abs(actual - expected) <= 1e-9 * Math.max(1, Math.abs(expected)) ? expected : actual) as T;
  if (Array.isArray(actual) && Array.isArray(expected)) return actual.map((a, i) => closeEnough(a, expected[i])) as T;
  if (actual && expected && typeof actual === 'object' && !(actual instanceof Date)) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(actual)) out[k] = closeEnough(v, (expected as Record<string, unknown>)[k]);
    return out as T;
  }
  return actual;
}

/** Every group, following endCursor page by page with `first`. */
async function allPages<T>(run: (after: string | null) => Promise<StatsPage<T>>, first: number): Promise<T[]> {
  const out: T[] = [];
  let after: string | null = null;
  for (let pages = 0; pages < 1000; pages++) {
    const page = await run(after);
    expect(page.nodes.length).toBeLessThanOrEqual(first);
    expect(page.hasPreviousPage).toBe(after !== null);
    out.push(...page.nodes);
    if (!page.hasNextPage) return out;
    expect(page.nodes).toHaveLength(first);
    after = page.endCursor;
  }
  throw new Error('no last page');
}

const inCourse = (alias: 's' | 'c'): StatsFilter =>
  alias === 's'
    ? { where: 's.course_id = ?', params: [BigInt(COURSE)] }
    : { where: 's.course_id = ?', params: [BigInt(COURSE)], joins: ['s'] };

// ---- the tests -----------------------------------------------------------------------

describeEachDatabase('reporting aggregates over a generated course', (db: () => TestDatabase) => {
  const { events, states, comments, messages } = generate();
  const courseStates = states.filter((s) => s.courseId === COURSE);

  beforeAll(async () => {
    for (let i = 0; i < events.length; i += 250) await ingest(db(), events.slice(i, i + 250));
  });

  it('generated what the acceptance asks for', () => {
    expect(new Set(courseStates.map((s) => s.userId)).size).toBeGreaterThanOrEqual(30);
    expect(new Set(courseStates.map((s) => s.assignmentId)).size).toBeGreaterThanOrEqual(5);
    expect(courseStates.filter((s) => s.late).length).toBeGreaterThan(10);
    expect(courseStates.filter((s) => s.missing).length).toBeGreaterThan(10);
    expect(courseStates.filter((s) => s.score !== null).length).toBeGreaterThan(50);
    const chicago = new Set(
      comments.map((c) => bucketStart(new Date(c.createdAt), timeZoneOf('America/Chicago'), 'DAY').getTime()),
    );
    expect(chicago.size).toBeGreaterThan(15);
  });

  const submissionCases: Array<[SubmissionGroupBy[], string, number]> = [
    [[], 'UTC', 20],
    [['ASSIGNMENT'], 'UTC', 4],
    [['USER'], 'UTC', 7],
    [['ASSIGNMENT', 'LATE'], 'UTC', 5],
    [['WORKFLOW_STATE', 'SUBMISSION_TYPE'], 'UTC', 3],
    [['LATE', 'MISSING', 'WORKFLOW_STATE'], 'UTC', 2],
    [['WORKFLOW_STATE', 'MISSING'], 'UTC', 3],
    [['MISSING', 'DAY'], 'America/Chicago', 6],
    [['DAY'], 'Europe/Berlin', 5],
    [['WEEK', 'ASSIGNMENT'], 'America/Chicago', 9],
    [['MONTH'], 'Europe/Berlin', 1],
    [['SUBMISSION_TYPE', 'MONTH'], 'America/Chicago', 100],
  ];
  for (const [groupBy, zone, first] of submissionCases) {
    it(`submissionStats groupBy [${groupBy.join(', ')}] in ${zone}, ${first} a page`, async () => {
      const expected = expectedSubmissionStats(courseStates, groupBy, zone);
      const actual = await allPages(
        (after) =>
          aggregate(db().dataSource, submissionDataset, {
            filter: inCourse('s'),
            groupBy,
            timeZone: zone,
            first,
            after,
          }),
        first,
      );
      expect(closeEnough(actual, expected)).toEqual(expected);
      const page = await aggregate(db().dataSource, submissionDataset, {
        filter: inCourse('s'),
        groupBy,
        timeZone: zone,
        first,
      });
      expect(await page.totalCount()).toBe(expected.length);
    });
  }

  it('has groups with no score (NumberStats count 0, nulls), null periods and null flags in the data', () => {
    // Unsubmitted work not marked missing is never scored (missing work may be auto-graded 0).
    const byState = expectedSubmissionStats(courseStates, ['WORKFLOW_STATE', 'MISSING']);
    expect(byState.find((g) => g.key.workflowState === 'unsubmitted' && g.key.missing === false)!.score).toEqual({
      count: 0,
      sum: null,
      avg: null,
      min: null,
      max: null,
      stddev: null,
    });
    expect(expectedSubmissionStats(courseStates, ['DAY'])[0].key.period).toBeNull();
    expect(expectedSubmissionStats(courseStates, ['LATE'])[0].key.late).toBeNull();
    // Mixed case: byte order puts Online_Upload before online_*, and MySQL must not merge them.
    const types = expectedSubmissionStats(courseStates, ['SUBMISSION_TYPE']).map((g) => g.key.submissionType);
    expect(types).toEqual([null, 'Online_Upload', 'online_quiz', 'online_text_entry', 'online_upload']);
  });

  it('groups by COURSE across courses, and answers Assignment.stats (one group, no groupBy)', async () => {
    const expected = expectedSubmissionStats(states, ['COURSE']);
    expect(expected).toHaveLength(2);
    const page = await aggregate(db().dataSource, submissionDataset, { groupBy: ['COURSE'] });
    expect(closeEnough(page.nodes, expected)).toEqual(expected);

    const assignment = ASSIGNMENTS[2];
    const one = expectedSubmissionStats(
      states.filter((s) => s.assignmentId === assignment),
      [],
    );
    const stats = await aggregate(db().dataSource, submissionDataset, {
      filter: { where: 's.assignment_id = ?', params: [BigInt(assignment)] },
    });
    expect(closeEnough(stats.nodes, one)).toEqual(one);
    expect(stats.hasNextPage).toBe(false);
    expect(await stats.totalCount()).toBe(1);
  });

  it('gives a group with count 0 when the filter matches nothing and there is no groupBy', async () => {
    const page = await aggregate(db().dataSource, submissionDataset, {
      filter: { where: 's.course_id = ?', params: [BigInt(gid(8_999_999))] },
    });
    expect(page.nodes).toEqual([submissionStatsOf(emptyKey(), [])]);
    const grouped = await aggregate(db().dataSource, submissionDataset, {
      filter: { where: 's.course_id = ?', params: [BigInt(gid(8_999_999))] },
      groupBy: ['DAY'],
      timeZone: 'America/Chicago',
    });
    expect(grouped.nodes).toEqual([]);
    expect(grouped.endCursor).toBeNull();
    expect(await grouped.totalCount()).toBe(0);
  });

  const commentCases: Array<[CommentGroupBy[], string, number]> = [
    [['DAY'], 'America/Chicago', 4],
    [['DAY'], 'Europe/Berlin', 30],
    [['AUTHOR', 'DAY'], 'America/Chicago', 13],
    [['WEEK'], 'America/Chicago', 2],
    [['MONTH', 'AUTHOR'], 'UTC', 10],
    [['SUBMISSION'], 'UTC', 25],
    [['COURSE'], 'UTC', 20],
  ];
  for (const [groupBy, zone, first] of commentCases) {
    it(`commentStats groupBy [${groupBy.join(', ')}] in ${zone}, ${first} a page`, async () => {
      const expected = expectedActivity(comments, groupBy, COMMENT_FIELDS, (c) => c, zone);
      const actual = await allPages(
        (after) =>
          aggregate(db().dataSource, commentDataset, { filter: inCourse('c'), groupBy, timeZone: zone, first, after }),
        first,
      );
      expect(actual).toEqual(expected);
      const page = await aggregate(db().dataSource, commentDataset, { filter: inCourse('c'), groupBy, timeZone: zone });
      expect(await page.totalCount()).toBe(expected.length);
    });
  }

  it("counts Chicago's 3 November as 25 hours, from 05:00Z to 06:00Z the next day", async () => {
    const page = await aggregate(db().dataSource, commentDataset, {
      filter: {
        where: 'c.created_at >= ? AND c.created_at < ?',
        params: ['2024-11-03 00:00:00.000', '2024-11-05 00:00:00.000'],
      },
      groupBy: ['DAY'],
      timeZone: 'America/Chicago',
      first: 100,
    });
    const day = page.nodes.find((n) => n.key.period?.toISOString() === '2024-11-03T05:00:00.000Z')!;
    expect(day.first?.toISOString()).toBe('2024-11-03T05:00:00.000Z');
    expect(day.last?.toISOString()).toBe('2024-11-04T05:59:59.999Z');
    expect(page.nodes.some((n) => n.key.period?.toISOString() === '2024-11-04T06:00:00.000Z')).toBe(true);
  });

  const messageCases: Array<[MessageGroupBy[], string, number]> = [
    [['CONVERSATION'], 'UTC', 4],
    [['AUTHOR', 'WEEK'], 'America/Chicago', 7],
    [['DAY'], 'Europe/Berlin', 8],
    [['CONVERSATION', 'AUTHOR', 'MONTH'], 'America/Chicago', 11],
  ];
  for (const [groupBy, zone, first] of messageCases) {
    it(`messageStats groupBy [${groupBy.join(', ')}] in ${zone}, ${first} a page`, async () => {
      const expected = expectedActivity(messages, groupBy, MESSAGE_FIELDS, (m) => m, zone);
      const actual = await allPages(
        (after) => aggregate(db().dataSource, messageDataset, { groupBy, timeZone: zone, first, after }),
        first,
      );
      expect(actual).toEqual(expected);
    });
  }

  it('answers a page with one GROUP BY statement (and one MIN/MAX for a period), never by reading rows', async () => {
    const seen = db().statements;
    seen.length = 0;
    const page = await aggregate(db().dataSource, submissionDataset, {
      filter: inCourse('s'),
      groupBy: ['ASSIGNMENT', 'LATE'],
      first: 3,
    });
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatch(/GROUP BY k0, k1 ORDER BY k0, k1 LIMIT 4$/);
    seen.length = 0;
    await aggregate(db().dataSource, submissionDataset, {
      filter: inCourse('s'),
      groupBy: ['ASSIGNMENT', 'LATE'],
      first: 3,
      after: page.endCursor,
    });
    expect(seen).toHaveLength(1);
    seen.length = 0;
    await aggregate(db().dataSource, commentDataset, { groupBy: ['DAY'], timeZone: 'America/Chicago' });
    expect(seen).toHaveLength(2);
    expect(seen[0]).toMatch(
      /^SELECT MIN\(c\.created_at\) AS lo, MAX\(c\.created_at\) AS hi FROM submission_comments c$/,
    );
    expect(seen[1]).not.toMatch(/CONVERT_TZ|time_zone/i);
  });

  it('refuses bad arguments with a BadInputError naming them', async () => {
    const ds = db().dataSource;
    const refusal = (promise: Promise<unknown>) =>
      promise.then(
        () => null,
        (e: unknown) => (e instanceof BadInputError ? e.message : `not a BadInputError: ${String(e)}`),
      );
    expect(await refusal(aggregate(ds, submissionDataset, { groupBy: ['DAY'], timeZone: 'America/Chicgo' }))).toMatch(
      /^timeZone: "America\/Chicgo" is not an IANA time zone/,
    );
    expect(await refusal(aggregate(ds, submissionDataset, { groupBy: ['DAY', 'WEEK'] }))).toMatch(/^groupBy\[1\]: /);
    expect(await refusal(aggregate(ds, submissionDataset, { groupBy: ['USER', 'USER'] }))).toMatch(
      /^groupBy\[1\]: USER is listed twice/,
    );
    expect(await refusal(aggregate(ds, submissionDataset, { groupBy: ['AUTHOR' as SubmissionGroupBy] }))).toMatch(
      /^groupBy\[0\]: /,
    );
    expect(await refusal(aggregate(ds, submissionDataset, { first: 101 }))).toMatch(
      /^first: must be between 0 and 100/,
    );
    expect(await refusal(aggregate(ds, submissionDataset, { after: 'bm90IGEgY3Vyc29y' }))).toMatch(
      /^after: is not a cursor/,
    );
    const page = await aggregate(ds, submissionDataset, { groupBy: ['ASSIGNMENT'], first: 1 });
    // A cursor of another grouping or zone is refused, not misread.
    expect(await refusal(aggregate(ds, submissionDataset, { groupBy: ['USER'], after: page.endCursor }))).toMatch(
      /^after: /,
    );
    const daily = await aggregate(ds, commentDataset, { groupBy: ['DAY'], timeZone: 'America/Chicago', first: 1 });
    expect(
      await refusal(
        aggregate(ds, commentDataset, { groupBy: ['DAY'], timeZone: 'Europe/Berlin', after: daily.endCursor }),
      ),
    ).toMatch(/^after: .*another grouping, time zone/);
  });
});
