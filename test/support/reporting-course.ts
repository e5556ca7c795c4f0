// A generated course for the reporting tests, and the reference figures computed from it
// in plain TypeScript: 34 students, 6 assignments, grades, late and missing work,
// resubmissions (an older event and a newer one, in either order), comments over three
// weeks across the daylight-saving changes of Berlin (27 Oct 2024) and Chicago (3 Nov
// 2024), and conversations. The reference forms and orders groups itself (ids
// numerically, strings byte-wise, nulls first), sums and a two-pass population stddev.
import type { StatsKey } from '../../src/reporting/aggregate';
import type {
  ActivityStats,
  CommentGroupBy,
  MessageGroupBy,
  SubmissionGroupBy,
  SubmissionStats,
} from '../../src/reporting/datasets';
import { bucketStart, BucketUnit, timeZoneOf } from '../../src/reporting/time-buckets';
import { random } from '../../bench/lib/corpus';
import { CanvasEvent, withBody } from './builders';
import { commentEvent, conversationEvent, gid, messageEvent, submissionEvent } from './graphql-fixtures';

// ---- the generated course ------------------------------------------------------------

export interface SubmissionState {
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

export interface CommentFact {
  id: string;
  submissionId: string;
  courseId: string;
  authorId: string;
  createdAt: string;
}

export interface MessageFact {
  id: string;
  conversationId: string;
  authorId: string;
  createdAt: string;
}

export const COURSE = gid(8_100_001);
export const OTHER_COURSE = gid(8_100_002);
export const TEACHER = gid(8_200_000);
export const STUDENTS = Array.from({ length: 34 }, (_, i) => gid(8_200_001 + i));
export const ASSIGNMENTS = Array.from({ length: 6 }, (_, i) => gid(8_300_001 + i));
export const FROM = Date.parse('2024-10-21T00:00:00Z');
export const SPAN = 22 * 86_400_000; // to 12 November: both changes, and October → November
export const TYPES = ['online_text_entry', 'online_upload', 'online_quiz', 'Online_Upload', null];

export function generate() {
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

export function submissionEventOf(s: SubmissionState): CanvasEvent {
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

export type KeyOf<T> = (item: T) => Partial<StatsKey>;

/** Groups `items` by `keyOf`, ordered dimension by dimension in `fields` order, nulls first. */
export function groupsOf<T>(items: T[], fields: Array<keyof StatsKey>, keyOf: KeyOf<T>): Array<[StatsKey, T[]]> {
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

export function compareValues(a: unknown, b: unknown): number {
  if (a === b) return 0;
  if (a === null) return -1;
  if (b === null) return 1;
  if (a instanceof Date && b instanceof Date) return a.getTime() - b.getTime();
  if (typeof a === 'boolean') return a ? 1 : -1;
  if (typeof a === 'string' && /^\d+$/.test(a) && /^\d+$/.test(b as string))
    return BigInt(a) < BigInt(b as string) ? -1 : 1;
  return Buffer.compare(Buffer.from(String(a)), Buffer.from(String(b)));
}

export function emptyKey(): StatsKey {
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

export function numberStats(values: number[]) {
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

export const earliest = (times: Array<string | null>) => {
  const ms = times.filter((t): t is string => t !== null).map(Date.parse);
  return ms.length ? new Date(Math.min(...ms)) : null;
};
export const latest = (times: Array<string | null>) => {
  const ms = times.filter((t): t is string => t !== null).map(Date.parse);
  return ms.length ? new Date(Math.max(...ms)) : null;
};

export function submissionStatsOf(key: StatsKey, rows: SubmissionState[]): SubmissionStats {
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

export function activityStatsOf(key: StatsKey, rows: Array<{ createdAt: string }>): ActivityStats {
  return {
    key,
    count: rows.length,
    first: earliest(rows.map((r) => r.createdAt)),
    last: latest(rows.map((r) => r.createdAt)),
  };
}

export const PERIODS: Record<string, BucketUnit> = { DAY: 'DAY', WEEK: 'WEEK', MONTH: 'MONTH' };

export function periodOf(instant: string | null, groupBy: readonly string[], zone: string): Date | null {
  const unit = groupBy.map((g) => PERIODS[g]).find(Boolean);
  if (!unit || instant === null) return null;
  return bucketStart(new Date(instant), timeZoneOf(zone), unit);
}

export const SUBMISSION_FIELDS: Record<SubmissionGroupBy, keyof StatsKey> = {
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

export function expectedSubmissionStats(states: SubmissionState[], groupBy: SubmissionGroupBy[], zone = 'UTC') {
  const fields = groupBy.map((g) => SUBMISSION_FIELDS[g]);
  return groupsOf(states, fields, (s) => ({ ...s, period: periodOf(s.submittedAt, groupBy, zone) })).map(
    ([key, rows]) => submissionStatsOf(key, rows),
  );
}

export function expectedActivity<T extends { createdAt: string }>(
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

export const COMMENT_FIELDS: Record<CommentGroupBy, keyof StatsKey> = {
  COURSE: 'courseId',
  SUBMISSION: 'submissionId',
  AUTHOR: 'authorId',
  DAY: 'period',
  WEEK: 'period',
  MONTH: 'period',
};
export const MESSAGE_FIELDS: Record<MessageGroupBy, keyof StatsKey> = {
  CONVERSATION: 'conversationId',
  AUTHOR: 'authorId',
  DAY: 'period',
  WEEK: 'period',
  MONTH: 'period',
};

/** Floats summed in another order differ in the last bits: equal within 1e-9, relative. */
export function closeEnough<T>(actual: T, expected: T): T {
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
