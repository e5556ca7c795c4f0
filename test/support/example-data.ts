// The data the example queries (examples/*.graphql) are checked against: a course with
// late, missing and graded submissions and their comments, conversations with messages,
// and the resource links of a tool. Shared by the examples' own test and the tests that run
// them through client libraries (Apollo Client, urql, graphql-request, Relay).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fixture, withBody, withMetadata } from './builders';
import type { TestDatabase } from './databases';
import {
  commentEvent,
  conversationEvent,
  gid,
  ingest,
  messageEvent,
  resourceLinkEvent,
  submissionEvent,
} from './graphql-fixtures';

export const COURSE = gid(565);
export const OTHER_COURSE = gid(566);
export const TOOL = gid(42);
export const SECTION = gid(4811);

function assignmentEvent(id: string, title: string, dueAt: string, workflowState: string) {
  const event = withBody(fixture('assignment_updated'), {
    assignment_id: id,
    context_id: COURSE,
    title,
    due_at: dueAt,
    workflow_state: workflowState,
  });
  return withMetadata(event, { context_id: COURSE });
}

function enrollmentEvent(id: string, userId: string, type: string, workflowState: string) {
  return withBody(fixture('enrollment_updated'), {
    enrollment_id: id,
    course_id: COURSE,
    user_id: userId,
    course_section_id: SECTION,
    type,
    workflow_state: workflowState,
  });
}

export const EXAMPLES_DIR = join(__dirname, '..', '..', 'examples');

/** The text of examples/<name>.graphql. */
export const example = (name: string) => readFileSync(join(EXAMPLES_DIR, `${name}.graphql`), 'utf8');

/** The variables an example's `# Variables: {…}` comment documents. */
function documentedVariables(name: string): Record<string, unknown> {
  const line = /^#.*\bVariables:\s*(\{.*\})\s*$/m.exec(example(name));
  if (!line) throw new Error(`examples/${name}.graphql documents no variables`);
  return JSON.parse(line[1]) as Record<string, unknown>;
}

/** Each example (by file name) with variables that find the data below. */
export const EXAMPLE_VARIABLES: Record<string, Record<string, unknown>> = {
  'comments-per-submission': { courseId: COURSE, after: null },
  'conversation-activity': { since: '2024-02-01T00:00:00-07:00', before: '2024-03-01T00:00:00Z' },
  'course-dashboard': { courseId: COURSE },
  'late-and-missing-submissions': { courseId: COURSE },
  'resource-links-of-a-tool': { toolId: TOOL },
  'who-has-not-submitted': { courseId: COURSE },
  // The department questions: their documented variables, which find
  // examples/department.ndjson's course (567), ingested below too.
  ...Object.fromEntries(
    ['assignment-progress', 'average-score-per-assignment', 'comments-per-day', 'most-active-conversations'].map(
      (name) => [name, documentedVariables(name)],
    ),
  ),
};

/** Ingests the examples' data through the real event log. */
export async function seedExampleData(db: TestDatabase): Promise<void> {
  const common = { courseId: COURSE, assignmentId: gid(11) };
  await ingest(db, [
    submissionEvent({
      ...common,
      id: gid(1001),
      userId: gid(21),
      late: true,
      missing: false,
      score: 7,
      grade: '7',
      workflowState: 'graded',
      submittedAt: '2024-01-09T10:00:00Z',
      updatedAt: '2024-01-10T00:00:00Z',
    }),
    submissionEvent({
      ...common,
      id: gid(1002),
      userId: gid(22),
      late: false,
      missing: true,
      score: 0,
      grade: '0',
      workflowState: 'unsubmitted',
      submittedAt: null,
      updatedAt: '2024-01-12T00:00:00Z',
    }),
    submissionEvent({
      ...common,
      id: gid(1003),
      userId: gid(23),
      late: true,
      missing: false,
      score: null,
      grade: null,
      workflowState: 'submitted',
      submittedAt: '2024-01-13T10:00:00Z',
      updatedAt: '2024-01-14T00:00:00Z',
    }),
    submissionEvent({
      ...common,
      id: gid(1004),
      userId: gid(24),
      late: false,
      missing: false,
      score: 9,
      grade: '9',
      workflowState: 'graded',
      submittedAt: '2024-01-07T10:00:00Z',
      updatedAt: '2024-01-08T00:00:00Z',
    }),
    submissionEvent({ id: gid(1005), courseId: OTHER_COURSE, late: true, missing: true }),
    commentEvent({
      id: gid(202),
      submissionId: gid(1001),
      courseId: COURSE,
      authorId: gid(9),
      body: 'Second',
      createdAt: '2024-01-11T12:00:00Z',
    }),
    commentEvent({
      id: gid(201),
      submissionId: gid(1001),
      courseId: COURSE,
      authorId: gid(21),
      body: 'First',
      createdAt: '2024-01-11T10:00:00Z',
      attachmentIds: ['5'],
    }),
    commentEvent({
      id: gid(203),
      submissionId: gid(1003),
      courseId: COURSE,
      authorId: gid(9),
      body: 'Noted',
      createdAt: '2024-01-14T10:00:00Z',
      attachmentIds: [],
    }),
    conversationEvent({
      id: gid(4001),
      userId: gid(21),
      eventTime: '2024-02-01T08:00:00Z',
      updatedAt: '2024-02-10T08:00:00Z',
    }),
    messageEvent({ id: gid(5001), conversationId: gid(4001), authorId: gid(21), createdAt: '2024-02-01T08:00:00Z' }),
    messageEvent({ id: gid(5002), conversationId: gid(4001), authorId: gid(9), createdAt: '2024-02-10T08:00:00Z' }),
    conversationEvent({ id: gid(4002), userId: gid(22), eventTime: '2024-03-05T08:00:00Z' }),
    // The week's most active conversation: only its messages ever arrived.
    messageEvent({ id: gid(5003), conversationId: gid(4004), authorId: gid(22), createdAt: '2024-02-06T08:00:00Z' }),
    messageEvent({ id: gid(5004), conversationId: gid(4004), authorId: gid(9), createdAt: '2024-02-07T08:00:00Z' }),
    messageEvent({ id: gid(5005), conversationId: gid(4004), authorId: gid(22), createdAt: '2024-02-08T08:00:00Z' }),
    conversationEvent({ id: gid(4003), userId: gid(23), eventTime: '2024-01-20T08:00:00Z' }),
    resourceLinkEvent({
      id: gid(3001),
      courseId: COURSE,
      toolId: TOOL,
      url: 'https://tool.example/launch/1',
      eventTime: '2024-01-02T00:00:00Z',
    }),
    resourceLinkEvent({
      id: gid(3002),
      courseId: COURSE,
      contextType: 'Assignment',
      contextId: gid(11),
      toolId: TOOL,
      url: 'https://tool.example/launch/2',
      eventTime: '2024-01-03T00:00:00Z',
    }),
    resourceLinkEvent({ id: gid(3003), courseId: COURSE, toolId: TOOL, workflowState: 'deleted' }),
    resourceLinkEvent({ id: gid(3004), courseId: OTHER_COURSE, toolId: gid(43) }),
    assignmentEvent(gid(11), 'Essay 1', '2024-01-10T23:59:00Z', 'published'),
    assignmentEvent(gid(12), 'Essay 2', '2024-01-20T23:59:00Z', 'published'),
    assignmentEvent(gid(13), 'Draft', '2024-01-05T23:59:00Z', 'unpublished'),
    ...[21, 22, 23, 24, 25].map((n) => enrollmentEvent(gid(600 + n), gid(n), 'StudentEnrollment', 'active')),
    enrollmentEvent(gid(626), gid(26), 'StudentEnrollment', 'invited'),
    enrollmentEvent(gid(609), gid(9), 'TeacherEnrollment', 'active'),
  ]);
  // The department's course (567, ids apart from the ones above), for the reporting examples.
  await ingest(db, readFileSync(join(EXAMPLES_DIR, 'department.ndjson'), 'utf8').trim().split('\n'));
}
