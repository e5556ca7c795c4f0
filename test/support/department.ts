// A department's course, generated: 32 students (30 active), 5 assignments, a week of
// submitting and grading with late and missing work, comments either side of the end of
// daylight saving time in America/Chicago (2026-11-01), and inbox conversations, one of
// which only receives new messages. Deterministic (a seeded generator), so
// examples/department.ndjson — what `npm run import` loads for trying the examples in the
// IDE — is this module's output, checked by test/integration/reporting.examples.test.ts.
//
// Regenerate: node -r ts-node/register/transpile-only test/support/department.ts > examples/department.ndjson
//
// `departmentAnswers` computes the five department questions from the events alone, in
// plain TypeScript, so the test compares the service's answers with an independent count.

import { random } from '../../bench/lib/corpus';
import { numberStats } from './reporting-course';

export const DEPARTMENT = {
  rootAccountId: '21070000000000001',
  courseId: '21070000000000567',
  teacherId: '21070000000009000',
  sectionId: '21070000000004811',
  timeZone: 'America/Chicago',
  /** Monday 2026-10-26 00:00 in Chicago, the week the examples ask about. */
  weekStart: '2026-10-26T05:00:00.000Z',
  weekEnd: '2026-11-02T06:00:00.000Z',
  /** The assignment whose unsubmitted students the example lists. */
  assignmentId: '21070000000000703',
} as const;

const gid = (local: number) => `2107${String(local).padStart(13, '0')}`;

export interface DepartmentEvent {
  metadata: Record<string, unknown>;
  body: Record<string, unknown>;
}

const iso = (ms: number) => new Date(ms).toISOString();

/** The instant a wall-clock time (YYYY-MM-DDTHH:mm:ss) names in `zone`, by trying each offset the zone can have. */
export function zonedInstant(local: string, zone: string): string {
  const wall = new Intl.DateTimeFormat('en-CA', {
    timeZone: zone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  });
  const asWall = (ms: number) => wall.format(new Date(ms)).replace(', ', 'T');
  for (let offsetHours = -14; offsetHours <= 14; offsetHours += 1) {
    const ms = Date.parse(`${local}Z`) - offsetHours * 3_600_000;
    if (asWall(ms) === local) return iso(ms);
  }
  throw new Error(`${local} does not exist in ${zone}`);
}
const chicago = (local: string) => zonedInstant(local, DEPARTMENT.timeZone);

function event(name: string, time: string, userId: string, body: Record<string, unknown>): DepartmentEvent {
  return {
    metadata: {
      event_name: name,
      event_time: time,
      producer: 'canvas',
      hostname: 'demo.instructure.com',
      root_account_id: DEPARTMENT.rootAccountId,
      context_type: 'Course',
      context_id: DEPARTMENT.courseId,
      user_id: userId,
    },
    body,
  };
}

const ASSIGNMENTS = [
  { local: 701, title: 'Reading response 1', points: 10, due: '2026-10-20T23:59:00' },
  { local: 702, title: 'Problem set 1', points: 20, due: '2026-10-27T23:59:00' },
  { local: 703, title: 'Midterm essay', points: 50, due: '2026-10-29T23:59:00' },
  { local: 704, title: 'Lab report', points: 100, due: '2026-11-02T23:59:00' },
  { local: 705, title: 'Reading response 2', points: 10, due: '2026-11-05T23:59:00' },
];
const STUDENTS = Array.from({ length: 32 }, (_, i) => 3001 + i);
/** The last two students' enrollments are not active: they never count as unsubmitted. */
const INACTIVE = new Map([
  [3031, 'inactive'],
  [3032, 'deleted'],
]);

export function departmentEvents(): DepartmentEvent[] {
  const next = random(2107);
  const events: DepartmentEvent[] = [];
  const teacher = DEPARTMENT.teacherId;
  const opened = chicago('2026-10-01T08:00:00');

  for (const [i, student] of [9000, ...STUDENTS].entries()) {
    const userId = gid(student);
    const type = student === 9000 ? 'TeacherEnrollment' : 'StudentEnrollment';
    const state = INACTIVE.get(student);
    const enrollment = {
      enrollment_id: gid(46000 + i),
      course_id: DEPARTMENT.courseId,
      course_section_id: DEPARTMENT.sectionId,
      user_id: userId,
      user_name: student === 9000 ? 'Ada Teacher' : `Student ${student - 3000}`,
      type,
      workflow_state: 'active',
      limit_privileges_to_course_section: false,
      created_at: opened,
      updated_at: opened,
    };
    events.push(event('enrollment_created', opened, teacher, enrollment));
    if (state) {
      const changed = chicago('2026-10-15T09:00:00');
      events.push(
        event('enrollment_updated', changed, teacher, { ...enrollment, workflow_state: state, updated_at: changed }),
      );
    }
  }

  for (const assignment of ASSIGNMENTS) {
    events.push(
      event('assignment_created', opened, teacher, {
        assignment_id: gid(assignment.local),
        context_id: DEPARTMENT.courseId,
        context_type: 'Course',
        title: assignment.title,
        description: `<p>${assignment.title}</p>`,
        due_at: chicago(assignment.due),
        unlock_at: opened,
        points_possible: assignment.points,
        submission_types: 'online_upload,online_text_entry',
        workflow_state: 'published',
        created_at: opened,
        updated_at: opened,
      }),
    );
  }

  let commentId = 0;
  for (const [a, assignment] of ASSIGNMENTS.entries()) {
    const due = Date.parse(chicago(assignment.due));
    for (const student of STUDENTS) {
      if (INACTIVE.has(student)) continue;
      const userId = gid(student);
      const submission = {
        submission_id: gid(800000 + a * 100 + (student - 3000)),
        assignment_id: gid(assignment.local),
        user_id: userId,
      };
      const roll = next();
      const future = due > Date.parse('2026-11-03T00:00:00Z');
      if (roll < 0.1 || (future && roll < 0.6)) continue; // not submitted, no submission row yet
      const gradedAt = iso(due + (2 + Math.floor(next() * 40)) * 3_600_000);
      if (roll < 0.18 && !future) {
        // Missing: Canvas grades it 0 automatically, without a submitted_at.
        events.push(
          event('submission_updated', gradedAt, teacher, {
            ...submission,
            workflow_state: 'graded',
            missing: true,
            late: false,
            score: 0,
            grade: '0',
            submitted_at: null,
            graded_at: gradedAt,
            updated_at: gradedAt,
          }),
        );
        continue;
      }
      const late = roll < 0.33;
      const submittedAt = iso(late ? due + (1 + Math.floor(next() * 30)) * 3_600_000 : due - next() * 86_400_000 * 3);
      const submitted = {
        ...submission,
        workflow_state: 'submitted',
        submission_type: 'online_upload',
        attempt: 1,
        late,
        missing: false,
        submitted_at: submittedAt,
        updated_at: submittedAt,
      };
      events.push(event('submission_created', submittedAt, userId, submitted));
      const graded = !future && next() < 0.8;
      if (graded) {
        const gradedTime =
          Date.parse(gradedAt) > Date.parse(submittedAt) ? gradedAt : iso(Date.parse(submittedAt) + 3_600_000);
        const score = Math.round(assignment.points * (0.45 + next() * 0.55) * 2) / 2;
        events.push(
          event('submission_updated', gradedTime, teacher, {
            ...submitted,
            workflow_state: 'graded',
            score,
            grade: String(score),
            graded_at: gradedTime,
            posted_at: gradedTime,
            updated_at: gradedTime,
          }),
        );
        // Feedback: comments from the teacher, some answered, spread over the days
        // either side of the DST change (Sunday 2026-11-01, 02:00 CDT → 01:00 CST).
        const comments = Math.floor(next() * 3);
        for (let c = 0; c < comments; c += 1) {
          const day = Date.parse('2026-10-29T05:00:00Z') + Math.floor(next() * 6 * 86_400_000);
          const createdAt = iso(day);
          commentId += 1;
          const author = c === 1 ? userId : teacher;
          events.push(
            event('submission_comment_created', createdAt, author, {
              submission_comment_id: gid(600000 + commentId),
              submission_id: submission.submission_id,
              user_id: author,
              body: c === 1 ? 'Thank you!' : 'See my notes in the margin.',
              created_at: createdAt,
              attachment_ids: [],
            }),
          );
        }
      }
    }
  }
  // Comments at the edges of local days, where a UTC day and a Chicago day disagree.
  for (const createdAt of [
    '2026-11-01T04:30:00.000Z',
    '2026-11-01T05:30:00.000Z',
    '2026-11-02T05:30:00.000Z',
    '2026-11-02T06:30:00.000Z',
  ]) {
    commentId += 1;
    events.push(
      event('submission_comment_created', createdAt, teacher, {
        submission_comment_id: gid(600000 + commentId),
        submission_id: gid(800000 + 2 * 100 + 1),
        user_id: teacher,
        body: 'A late-night note.',
        created_at: createdAt,
        attachment_ids: [],
      }),
    );
  }

  // Inbox: 5301 began in September and only receives messages this week (the busiest);
  // 5302 and 5304 begin this week; 5303 was last active in October's first week.
  const conversations = [
    { local: 5301, created: chicago('2026-09-02T10:00:00'), messages: 12, from: DEPARTMENT.weekStart },
    { local: 5302, created: chicago('2026-10-27T09:00:00'), messages: 4, from: chicago('2026-10-27T09:00:00') },
    { local: 5303, created: chicago('2026-10-01T09:00:00'), messages: 3, from: chicago('2026-10-01T09:00:00') },
    { local: 5304, created: chicago('2026-10-30T15:00:00'), messages: 1, from: chicago('2026-10-30T15:00:00') },
  ];
  let messageId = 0;
  for (const conversation of conversations) {
    const conversationId = gid(conversation.local);
    events.push(
      event('conversation_created', conversation.created, teacher, {
        conversation_id: conversationId,
        updated_at: conversation.created,
      }),
    );
    const from = Date.parse(conversation.from);
    for (let m = 0; m < conversation.messages; m += 1) {
      messageId += 1;
      const createdAt = iso(from + Math.floor((m + next()) * 12 * 3_600_000));
      const author = m % 2 === 0 ? teacher : gid(STUDENTS[(conversation.local + m) % 30]);
      events.push(
        event('conversation_message_created', createdAt, author, {
          message_id: gid(700000 + messageId),
          conversation_id: conversationId,
          author_id: author,
          created_at: createdAt,
        }),
      );
    }
  }
  return events;
}

/** The local calendar day (YYYY-MM-DD) of an instant in `zone`. */
function localDay(instant: string, zone: string): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(
    new Date(instant),
  );
}

export interface ScoreFigures {
  count: number;
  sum: number | null;
  avg: number | null;
  min: number | null;
  max: number | null;
  stddev: number | null;
}

export interface AssignmentFigures {
  assignmentId: string;
  count: number;
  submittedCount: number;
  gradedCount: number;
  lateCount: number;
  missingCount: number;
  score: ScoreFigures;
}

/** The newest state of each row, by the body's updated_at (the way the projections merge). */
function newestBy(events: DepartmentEvent[], name: RegExp, key: string): Map<string, Record<string, unknown>> {
  const rows = new Map<string, Record<string, unknown>>();
  for (const { metadata, body } of events) {
    if (!name.test(String(metadata.event_name))) continue;
    const id = String(body[key]);
    const seen = rows.get(id);
    if (!seen || Date.parse(String(body.updated_at)) >= Date.parse(String(seen.updated_at)))
      rows.set(id, { ...seen, ...body });
  }
  return rows;
}

/**
 * The five department questions answered from the events alone: per-assignment progress
 * and scores, who has not submitted DEPARTMENT.assignmentId, comments per Chicago day in
 * [since, before), and messages per conversation in the week.
 */
export function departmentAnswers(events: DepartmentEvent[]) {
  const submissions = [...newestBy(events, /^submission_(created|updated)$/, 'submission_id').values()];
  const byAssignment = new Map<string, Record<string, unknown>[]>();
  for (const row of submissions) {
    const list = byAssignment.get(String(row.assignment_id)) ?? [];
    list.push(row);
    byAssignment.set(String(row.assignment_id), list);
  }
  const perAssignment: AssignmentFigures[] = [...byAssignment.entries()]
    .sort(([a], [b]) => (BigInt(a) < BigInt(b) ? -1 : 1))
    .map(([assignmentId, rows]) => ({
      assignmentId,
      count: rows.length,
      submittedCount: rows.filter((r) => r.submitted_at).length,
      gradedCount: rows.filter((r) => r.graded_at || r.workflow_state === 'graded').length,
      lateCount: rows.filter((r) => r.late === true).length,
      missingCount: rows.filter((r) => r.missing === true).length,
      score: numberStats(
        rows.filter((r) => r.workflow_state === 'graded' && typeof r.score === 'number').map((r) => r.score as number),
      ),
    }));

  const enrollments = [...newestBy(events, /^enrollment_(created|updated)$/, 'enrollment_id').values()];
  const submittedUsers = new Set(
    submissions
      .filter((r) => r.assignment_id === DEPARTMENT.assignmentId && r.submitted_at)
      .map((r) => String(r.user_id)),
  );
  const unsubmittedUserIds = enrollments
    .filter(
      (e) => e.type === 'StudentEnrollment' && e.workflow_state === 'active' && !submittedUsers.has(String(e.user_id)),
    )
    .map((e) => String(e.user_id))
    .sort();

  const commentsSince = DEPARTMENT.weekStart;
  const commentsBefore = zonedInstant('2026-11-09T00:00:00', DEPARTMENT.timeZone);
  const commentsPerDay = new Map<string, number>();
  for (const { metadata, body } of events) {
    if (metadata.event_name !== 'submission_comment_created') continue;
    const at = Date.parse(String(body.created_at));
    if (at < Date.parse(commentsSince) || at >= Date.parse(commentsBefore)) continue;
    const day = zonedInstant(`${localDay(String(body.created_at), DEPARTMENT.timeZone)}T00:00:00`, DEPARTMENT.timeZone);
    commentsPerDay.set(day, (commentsPerDay.get(day) ?? 0) + 1);
  }

  const messagesThisWeek = new Map<string, number>();
  for (const { metadata, body } of events) {
    if (metadata.event_name !== 'conversation_message_created') continue;
    const at = Date.parse(String(body.created_at));
    if (at < Date.parse(DEPARTMENT.weekStart) || at >= Date.parse(DEPARTMENT.weekEnd)) continue;
    const id = String(body.conversation_id);
    messagesThisWeek.set(id, (messagesThisWeek.get(id) ?? 0) + 1);
  }

  return {
    perAssignment,
    unsubmittedUserIds,
    commentsPerDay: [...commentsPerDay.entries()].sort(([a], [b]) => a.localeCompare(b)),
    messagesThisWeek: [...messagesThisWeek.entries()].sort(([a], [b]) => (BigInt(a) < BigInt(b) ? -1 : 1)),
  };
}

if (require.main === module) {
  for (const item of departmentEvents()) process.stdout.write(`${JSON.stringify(item)}\n`);
}
