// Assignments and enrollments in the read API: assignment(id), assignments and
// Course.assignments (filters, every order paged through, NULLs and ties included, titles
// compared by code point on both databases), Submission.assignment, enrollments and
// Course.enrollments (filters, personal data for admins only), and
// Assignment.unsubmittedStudents on a hand-built course, its answer computed here from
// the specs; then the SQL statements of nested lists, and the cost limit.
import { graphql } from 'graphql';
import { createContext, Role } from '../../src/graphql/context';
import { graphqlSchema } from '../../src/graphql/schema';
import { resolvers } from '../../src/modules';
import { CanvasEvent, fixture, withBody, withMetadata } from '../support/builders';
import { describeEachDatabase, TestDatabase } from '../support/databases';
import { dataOf, gid, graphqlClient, ingest, QueryData, submissionEvent } from '../support/graphql-fixtures';

const COURSE = gid(800);
const OTHER_COURSE = gid(801);

interface AssignmentSpec {
  id: string;
  courseId: string;
  title: string | null;
  dueAt: string | null;
  updatedAt: string;
  workflowState: string;
  types?: string;
}

const A = (n: number) => gid(8100 + n);
// Ties on due date, update time and title; titles that MySQL's padding collation would
// order differently (trailing space, tab); an id on another shard (numeric ≠ text order).
const ASSIGNMENTS: AssignmentSpec[] = [
  {
    id: A(1),
    courseId: COURSE,
    title: 'Essay',
    dueAt: '2024-04-01T12:00:00.000Z',
    updatedAt: '2024-03-01T00:00:00.000Z',
    workflowState: 'published',
    types: ' online_upload, online_url ,,',
  },
  {
    id: A(2),
    courseId: COURSE,
    title: 'Essay ',
    dueAt: null,
    updatedAt: '2024-03-02T00:00:00.000Z',
    workflowState: 'published',
  },
  {
    id: A(3),
    courseId: COURSE,
    title: 'Essay\t',
    dueAt: '2024-04-01T12:00:00.000Z',
    updatedAt: '2024-03-01T00:00:00.000Z',
    workflowState: 'unpublished',
  },
  {
    id: A(4),
    courseId: COURSE,
    title: null,
    dueAt: '2024-03-15T08:00:00.000Z',
    updatedAt: '2024-03-03T00:00:00.000Z',
    workflowState: 'published',
  },
  {
    id: A(5),
    courseId: COURSE,
    title: 'Ärger 🎉',
    dueAt: null,
    updatedAt: '2024-03-04T00:00:00.000Z',
    workflowState: 'deleted',
  },
  {
    id: '30000000000106',
    courseId: COURSE,
    title: 'essay',
    dueAt: '2024-05-01T00:00:00.000Z',
    updatedAt: '2024-03-02T00:00:00.000Z',
    workflowState: 'published',
  },
  {
    id: A(7),
    courseId: COURSE,
    title: 'Essay',
    dueAt: '2024-04-02T00:00:00.000Z',
    updatedAt: '2024-03-05T00:00:00.000Z',
    workflowState: 'published',
  },
  {
    id: A(20),
    courseId: OTHER_COURSE,
    title: 'Other',
    dueAt: '2024-04-01T12:00:00.000Z',
    updatedAt: '2024-03-01T00:00:00.000Z',
    workflowState: 'published',
  },
];
/** Known only from a submission: id and course, nothing else. */
const ONLY_SUBMITTED = A(8);

function assignmentEvent(spec: AssignmentSpec): CanvasEvent {
  const event = withBody(fixture('assignment_updated'), {
    assignment_id: spec.id,
    context_id: spec.courseId,
    context_type: 'Course',
    title: spec.title,
    due_at: spec.dueAt,
    updated_at: spec.updatedAt,
    workflow_state: spec.workflowState,
    ...(spec.types !== undefined ? { submission_types: spec.types } : {}),
  });
  return withMetadata(event, { event_time: spec.updatedAt, context_id: spec.courseId, context_type: 'Course' });
}

interface EnrollmentSpec {
  id: string;
  courseId: string;
  userId: string;
  type: string;
  workflowState: string;
  userName: string;
}

const E = (n: number) => gid(8300 + n);
const U = (n: number) => gid(8400 + n);
const ENROLLMENTS: EnrollmentSpec[] = [
  { id: E(1), courseId: COURSE, userId: U(1), type: 'StudentEnrollment', workflowState: 'active', userName: 'Ada' },
  { id: E(2), courseId: COURSE, userId: U(2), type: 'StudentEnrollment', workflowState: 'active', userName: 'Bo' },
  { id: E(3), courseId: COURSE, userId: U(3), type: 'StudentEnrollment', workflowState: 'active', userName: 'Cy' },
  { id: E(4), courseId: COURSE, userId: U(4), type: 'StudentEnrollment', workflowState: 'active', userName: 'Di' },
  { id: E(5), courseId: COURSE, userId: U(5), type: 'StudentEnrollment', workflowState: 'active', userName: 'Ed' },
  { id: E(6), courseId: COURSE, userId: U(6), type: 'StudentEnrollment', workflowState: 'invited', userName: 'Fy' },
  { id: E(7), courseId: COURSE, userId: U(7), type: 'TeacherEnrollment', workflowState: 'active', userName: 'Gu' },
  // Ada again, in a second section.
  { id: E(8), courseId: COURSE, userId: U(1), type: 'StudentEnrollment', workflowState: 'active', userName: 'Ada' },
  {
    id: E(9),
    courseId: OTHER_COURSE,
    userId: U(2),
    type: 'StudentEnrollment',
    workflowState: 'active',
    userName: 'Bo',
  },
  { id: E(10), courseId: COURSE, userId: U(9), type: 'StudentEnrollment', workflowState: 'deleted', userName: 'Hu' },
];

function enrollmentEvent(spec: EnrollmentSpec): CanvasEvent {
  const event = withBody(fixture('enrollment_updated'), {
    enrollment_id: spec.id,
    course_id: spec.courseId,
    user_id: spec.userId,
    type: spec.type,
    workflow_state: spec.workflowState,
    user_name: spec.userName,
    created_at: '2024-01-02T00:00:00.000Z',
    updated_at: '2024-01-03T00:00:00.000Z',
  });
  return withMetadata(event, { event_time: '2024-01-03T00:00:00.000Z' });
}

interface SubmissionOf {
  assignmentId: string;
  userId: string;
  submittedAt: string | null;
  workflowState: string;
  score?: number;
  missing?: boolean;
}

const SUBMISSIONS: SubmissionOf[] = [
  { assignmentId: A(1), userId: U(1), submittedAt: '2024-03-30T10:00:00.000Z', workflowState: 'submitted' },
  // Missing, auto-graded 0: never submitted.
  { assignmentId: A(1), userId: U(2), submittedAt: null, workflowState: 'graded', score: 0, missing: true },
  { assignmentId: A(1), userId: U(4), submittedAt: '2024-03-31T10:00:00.000Z', workflowState: 'graded', score: 9 },
  { assignmentId: A(1), userId: U(5), submittedAt: null, workflowState: 'unsubmitted' },
  { assignmentId: A(1), userId: U(7), submittedAt: '2024-03-31T11:00:00.000Z', workflowState: 'submitted' },
  { assignmentId: A(2), userId: U(2), submittedAt: '2024-03-20T10:00:00.000Z', workflowState: 'submitted' },
  { assignmentId: ONLY_SUBMITTED, userId: U(3), submittedAt: '2024-03-21T10:00:00.000Z', workflowState: 'submitted' },
  // In the other course, by a student of this one: does not count for this course's assignments.
  { assignmentId: A(20), userId: U(3), submittedAt: '2024-03-21T10:00:00.000Z', workflowState: 'submitted' },
];

const submissionEvents = () =>
  SUBMISSIONS.map((s, i) =>
    submissionEvent({
      id: gid(8500 + i),
      courseId: s.assignmentId === A(20) ? OTHER_COURSE : COURSE,
      assignmentId: s.assignmentId,
      userId: s.userId,
      submittedAt: s.submittedAt,
      workflowState: s.workflowState,
      score: s.score ?? null,
      missing: s.missing ?? false,
    }),
  );

/** The answer of unsubmittedStudents, from the specs: in enrollment id order. */
function unsubmittedOf(assignmentId: string): string[] {
  const courseId =
    ASSIGNMENTS.find((a) => a.id === assignmentId)?.courseId ?? (assignmentId === ONLY_SUBMITTED ? COURSE : null);
  return ENROLLMENTS.filter(
    (e) =>
      e.courseId === courseId &&
      e.type === 'StudentEnrollment' &&
      e.workflowState === 'active' &&
      !SUBMISSIONS.some((s) => s.assignmentId === assignmentId && s.userId === e.userId && s.submittedAt !== null),
  )
    .map((e) => e.id)
    .sort(byId(1));
}

const byId = (sign: number) => (a: string, b: string) =>
  BigInt(a) < BigInt(b) ? -sign : BigInt(a) > BigInt(b) ? sign : 0;

type AssignmentRow = { id: string; title: string | null; dueAt: string | null; updatedAt: string | null };
const ORDER_KEYS = { ID: null, DUE_AT: 'dueAt', TITLE: 'title', UPDATED_AT: 'updatedAt' } as const;

/** The order the API promises: the field (NULL lowest; text by UTF-8 bytes = code points), then id. */
function expectedOrder(rows: AssignmentRow[], field: keyof typeof ORDER_KEYS, direction: 'ASC' | 'DESC'): string[] {
  const key = ORDER_KEYS[field];
  const sign = direction === 'ASC' ? 1 : -1;
  const compare = (a: string | null, b: string | null): number => {
    if (a === b) return 0;
    if (a === null) return -1;
    if (b === null) return 1;
    return key === 'title' ? Buffer.compare(Buffer.from(a), Buffer.from(b)) : Date.parse(a) - Date.parse(b);
  };
  return [...rows]
    .sort((a, b) => (key ? Math.sign(compare(a[key], b[key])) * sign : 0) || byId(sign)(a.id, b.id))
    .map((r) => r.id);
}

/* eslint-disable @typescript-eslint/no-explicit-any */
async function asRole(db: TestDatabase, role: Role, source: string, variableValues = {}): Promise<any> {
  const result = await graphql({
    schema: await graphqlSchema(resolvers),
    source,
    variableValues,
    contextValue: createContext(db.dataSource, role),
  });
  if (result.errors?.length) throw new Error(result.errors.map((e) => e.message).join('; '));
  return result.data;
}

const TOP_QUERY = `query($first: Int, $after: String, $orderBy: AssignmentOrder, $filter: AssignmentFilter) {
  assignments(first: $first, after: $after, orderBy: $orderBy, filter: $filter) {
    totalCount
    nodes { id title dueAt updatedAt }
    pageInfo { hasNextPage endCursor }
  }
}`;

const NESTED_QUERY = `query($id: ID!, $first: Int, $after: String, $orderBy: AssignmentOrder) {
  course(id: $id) { assignments(first: $first, after: $after, orderBy: $orderBy) {
    totalCount nodes { id title dueAt updatedAt } pageInfo { hasNextPage endCursor }
  } }
}`;

describeEachDatabase('assignments and enrollments in GraphQL', (db) => {
  let client: Awaited<ReturnType<typeof graphqlClient>>;
  let all: AssignmentRow[];

  beforeAll(async () => {
    client = await graphqlClient(db());
    await ingest(db(), [
      ...ASSIGNMENTS.map(assignmentEvent),
      ...ENROLLMENTS.map(enrollmentEvent),
      ...submissionEvents(),
    ]);
    all = (await dataOf(client, TOP_QUERY, { first: 100 })).assignments.nodes;
  });

  it('answers an assignment field by field: submission types split and trimmed, its course, its times', async () => {
    const data = await dataOf(
      client,
      `query($id: ID!) { assignment(id: $id) {
        id localId courseId course { id } title description dueAt unlockAt lockAt pointsPossible
        submissionTypes workflowState createdAt updatedAt
      } }`,
      { id: A(1) },
    );
    const b = fixture('assignment_updated').body;
    expect(data.assignment).toEqual({
      id: A(1),
      localId: '8101',
      courseId: COURSE,
      course: { id: COURSE },
      title: 'Essay',
      description: b.description,
      dueAt: '2024-04-01T12:00:00.000Z',
      unlockAt: new Date(String(b.unlock_at)).toISOString(),
      lockAt: new Date(String(b.lock_at)).toISOString(),
      pointsPossible: b.points_possible,
      submissionTypes: ['online_upload', 'online_url'],
      workflowState: 'published',
      // Only assignment_updated events here: no created_at, no creation event.
      createdAt: null,
      updatedAt: '2024-03-01T00:00:00.000Z',
    });
  });

  it('answers an assignment known only from a submission with its id and course; an unknown id with null', async () => {
    const data = await dataOf(
      client,
      `query($id: ID!, $unknown: ID!) {
        assignment(id: $id) { id course { id } title submissionTypes updatedAt }
        unknown: assignment(id: $unknown) { id }
      }`,
      { id: ONLY_SUBMITTED, unknown: gid(8199) },
    );
    expect(data).toEqual({
      assignment: { id: ONLY_SUBMITTED, course: { id: COURSE }, title: null, submissionTypes: [], updatedAt: null },
      unknown: null,
    });
  });

  it('gives each submission its assignment, one statement for all of them', async () => {
    db().statements.length = 0;
    const data = await dataOf(
      client,
      `{ submissions(first: 20, filter: { courseId: "${COURSE}" }) { nodes { assignmentId assignment { id title } } } }`,
    );
    expect(data.submissions.nodes).toHaveLength(7);
    for (const node of data.submissions.nodes) {
      expect(node.assignment.id).toBe(node.assignmentId);
      expect(node.assignment.title).toBe(ASSIGNMENTS.find((a) => a.id === node.assignmentId)?.title ?? null);
    }
    expect(db().statements.filter((sql) => /assignments/.test(sql))).toHaveLength(1);
  });

  it.each([
    ['courseId', { courseId: OTHER_COURSE }, [A(20)]],
    ['ids', { ids: [A(2), A(20), gid(8199)] }, [A(2), A(20)]],
    ['workflowStates', { workflowStates: ['unpublished', 'deleted'] }, [A(3), A(5)]],
    [
      'dueSince and dueBefore',
      { dueSince: '2024-04-01T12:00:00Z', dueBefore: '2024-05-01T00:00:00Z' },
      [A(1), A(3), A(7), A(20)],
    ],
    ['an empty list', { ids: [] }, []],
  ])('filters assignments by %s, counting the filtered list', async (_name, filter, ids) => {
    const data = await dataOf(client, TOP_QUERY, { filter });
    expect(data.assignments.nodes.map((n: AssignmentRow) => n.id)).toEqual([...ids].sort(byId(1)));
    expect(data.assignments.totalCount).toBe(ids.length);
  });

  it('refuses a malformed id in the filter, naming the argument', async () => {
    const res = await client.query(TOP_QUERY, { filter: { courseId: 'abc' } });
    expect(res.errors?.[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT' } });
    expect(res.errors?.[0].message).toContain('filter.courseId');
  });

  for (const field of ['ID', 'DUE_AT', 'TITLE', 'UPDATED_AT'] as const) {
    for (const direction of ['ASC', 'DESC'] as const) {
      it(`walks every assignment once by ${field} ${direction}, pages of 2, NULLs lowest, ties by id`, async () => {
        const seen: string[] = [];
        let after: string | null = null;
        for (;;) {
          const data: QueryData = await dataOf(client, TOP_QUERY, { first: 2, after, orderBy: { field, direction } });
          seen.push(...data.assignments.nodes.map((n: AssignmentRow) => n.id));
          if (!data.assignments.pageInfo.hasNextPage) break;
          after = data.assignments.pageInfo.endCursor;
        }
        expect(seen).toEqual(expectedOrder(all, field, direction));
      });

      it(`walks a course's assignments by ${field} ${direction} the same way, nested under the course`, async () => {
        const mine = all.filter((a) => a.id !== A(20));
        const seen: string[] = [];
        let after: string | null = null;
        for (;;) {
          const data: QueryData = await dataOf(client, NESTED_QUERY, {
            id: COURSE,
            first: 3,
            after,
            orderBy: { field, direction },
          });
          const connection = data.course.assignments;
          expect(connection.totalCount).toBe(mine.length);
          seen.push(...connection.nodes.map((n: AssignmentRow) => n.id));
          if (!connection.pageInfo.hasNextPage) break;
          after = connection.pageInfo.endCursor;
        }
        expect(seen).toEqual(expectedOrder(mine, field, direction));
      });
    }
  }

  it('orders titles by code point on both databases: "Essay" < "Essay\\t" < "Essay " < "essay" < "Ärger"', async () => {
    const data = await dataOf(client, TOP_QUERY, { first: 100, orderBy: { field: 'TITLE', direction: 'ASC' } });
    // MySQL's utf8mb4_bin alone would take "Essay " for "Essay" and put "Essay\t" first.
    expect(data.assignments.nodes.map((n: AssignmentRow) => n.title)).toEqual([
      null,
      null,
      'Essay',
      'Essay',
      'Essay\t',
      'Essay ',
      'Other',
      'essay',
      'Ärger 🎉',
    ]);
  });

  it('refuses a cursor of another order, naming `after`', async () => {
    const first = await dataOf(client, TOP_QUERY, { first: 1, orderBy: { field: 'TITLE', direction: 'ASC' } });
    const res = await client.query(TOP_QUERY, {
      first: 1,
      after: first.assignments.pageInfo.endCursor,
      orderBy: { field: 'DUE_AT', direction: 'ASC' },
    });
    expect(res.errors?.[0].message).toContain('after');
  });

  it("lists an assignment's submissions, filtered and ordered", async () => {
    const data = await dataOf(
      client,
      `query($id: ID!) { assignment(id: $id) {
        all: submissions(orderBy: { field: SUBMITTED_AT, direction: DESC }) { totalCount nodes { userId } }
        late: submissions(filter: { workflowStates: ["graded"] }) { totalCount nodes { userId } }
      } }`,
      { id: A(1) },
    );
    expect(data.assignment.all).toEqual({
      totalCount: 5,
      nodes: [U(7), U(4), U(1), U(5), U(2)].map((userId) => ({ userId })),
    });
    expect(data.assignment.late.nodes.map((n: { userId: string }) => n.userId).sort()).toEqual([U(2), U(4)].sort());
  });

  it('lists enrollments with their fields, course and user', async () => {
    const data = await dataOf(
      client,
      `query($id: ID!) { enrollment(id: $id) {
        id localId courseId userId sectionId type role roleId workflowState createdAt updatedAt course { id } user { id }
      } }`,
      { id: E(1) },
    );
    expect(data.enrollment).toEqual({
      id: E(1),
      localId: '8301',
      courseId: COURSE,
      userId: U(1),
      sectionId: fixture('enrollment_updated').body.course_section_id,
      type: 'StudentEnrollment',
      role: null,
      roleId: null,
      workflowState: 'active',
      createdAt: '2024-01-02T00:00:00.000Z',
      updatedAt: '2024-01-03T00:00:00.000Z',
      course: { id: COURSE },
      user: { id: U(1) },
    });
  });

  it.each([
    ['courseId', { courseId: OTHER_COURSE }, (e: EnrollmentSpec) => e.courseId === OTHER_COURSE],
    ['userId', { userId: U(1) }, (e: EnrollmentSpec) => e.userId === U(1)],
    ['types', { types: ['TeacherEnrollment'] }, (e: EnrollmentSpec) => e.type === 'TeacherEnrollment'],
    ['workflowStates', { workflowStates: ['invited', 'deleted'] }, (e: EnrollmentSpec) => e.workflowState !== 'active'],
    [
      'types and courseId',
      { types: ['StudentEnrollment'], courseId: COURSE },
      (e: EnrollmentSpec) => e.type === 'StudentEnrollment' && e.courseId === COURSE,
    ],
  ])('filters enrollments by %s, top level and under the course, paged', async (_name, filter, keep) => {
    const expected = ENROLLMENTS.filter(keep)
      .map((e) => e.id)
      .sort(byId(1));
    const seen: string[] = [];
    let after: string | null = null;
    for (;;) {
      const data: QueryData = await dataOf(
        client,
        `query($filter: EnrollmentFilter, $after: String) { enrollments(first: 2, after: $after, filter: $filter) {
          totalCount nodes { id } pageInfo { hasNextPage endCursor } } }`,
        { filter, after },
      );
      expect(data.enrollments.totalCount).toBe(expected.length);
      seen.push(...data.enrollments.nodes.map((n: { id: string }) => n.id));
      if (!data.enrollments.pageInfo.hasNextPage) break;
      after = data.enrollments.pageInfo.endCursor;
    }
    expect(seen).toEqual(expected);
    const nested = await dataOf(
      client,
      `query($id: ID!, $filter: EnrollmentFilter) { course(id: $id) { enrollments(first: 100, filter: $filter) { totalCount nodes { id } } } }`,
      { id: COURSE, filter },
    );
    const inCourse = ENROLLMENTS.filter((e) => keep(e) && e.courseId === COURSE)
      .map((e) => e.id)
      .sort(byId(1));
    expect(nested.course.enrollments.nodes.map((n: { id: string }) => n.id)).toEqual(inCourse);
    expect(nested.course.enrollments.totalCount).toBe(inCourse.length);
  });

  it("answers the enrolled user's name to admins only", async () => {
    const query = `query($id: ID!) { enrollment(id: $id) { id userName } }`;
    expect((await asRole(db(), 'admin', query, { id: E(2) })).enrollment).toEqual({ id: E(2), userName: 'Bo' });
    expect((await asRole(db(), 'reader', query, { id: E(2) })).enrollment).toEqual({ id: E(2), userName: null });
    const list = await asRole(db(), 'reader', '{ enrollments(first: 100) { nodes { userName } } }');
    expect(list.enrollments.nodes.every((n: { userName: string | null }) => n.userName === null)).toBe(true);
  });

  it('lists the unsubmitted students of an assignment: active students without a submitted submission', async () => {
    for (const id of [A(1), A(2), A(3), ONLY_SUBMITTED, A(20)]) {
      const data = await dataOf(
        client,
        `query($id: ID!) { assignment(id: $id) { unsubmittedStudents(first: 100) { totalCount nodes { id userId type workflowState } } } }`,
        { id },
      );
      const expected = unsubmittedOf(id);
      expect(data.assignment.unsubmittedStudents.totalCount).toBe(expected.length);
      expect(data.assignment.unsubmittedStudents.nodes.map((n: { id: string }) => n.id)).toEqual(expected);
      for (const node of data.assignment.unsubmittedStudents.nodes) {
        expect(node).toMatchObject({ type: 'StudentEnrollment', workflowState: 'active' });
      }
    }
    // What the specs say, spelled out for A(1): Bo (missing, graded 0), Cy (none), Ed (unsubmitted), Ada's second
    // enrollment? No: Ada submitted, so neither of her enrollments is listed.
    expect(unsubmittedOf(A(1))).toEqual([E(2), E(3), E(5)]);
    expect(unsubmittedOf(A(20))).toEqual([E(9)]);
  });

  it('pages unsubmitted students and batches them over a list of assignments in one statement', async () => {
    const seen: string[] = [];
    let after: string | null = null;
    for (;;) {
      const data: QueryData = await dataOf(
        client,
        `query($id: ID!, $after: String) { assignment(id: $id) { unsubmittedStudents(first: 2, after: $after) {
          nodes { id } pageInfo { hasNextPage endCursor } } } }`,
        { id: A(5), after },
      );
      seen.push(...data.assignment.unsubmittedStudents.nodes.map((n: { id: string }) => n.id));
      if (!data.assignment.unsubmittedStudents.pageInfo.hasNextPage) break;
      after = data.assignment.unsubmittedStudents.pageInfo.endCursor;
    }
    expect(seen).toEqual(unsubmittedOf(A(5)));

    db().statements.length = 0;
    const data = await dataOf(
      client,
      `query($id: ID!) { course(id: $id) { assignments(first: 50) { nodes { id
        unsubmittedStudents(first: 3) { totalCount nodes { id user { id } } }
      } } } }`,
      { id: COURSE },
    );
    for (const node of data.course.assignments.nodes) {
      const expected = unsubmittedOf(node.id);
      expect(node.unsubmittedStudents.totalCount).toBe(expected.length);
      expect(node.unsubmittedStudents.nodes.map((n: { id: string }) => n.id)).toEqual(expected.slice(0, 3));
    }
    const unsubmittedStatements = db().statements.filter((sql) => /enrollments/.test(sql));
    // One page statement and one count statement for every assignment of the course.
    expect(unsubmittedStatements).toHaveLength(2);
    expect(unsubmittedStatements.join('\n')).toMatch(/NOT EXISTS/);
  });
});

const DEEP_QUERY = `{
  courses(first: 10) { nodes {
    assignments(first: 20) { totalCount nodes {
      course { id }
      submissions(first: 10) { totalCount nodes { id assignment { id } user { id } } }
      unsubmittedStudents(first: 10) { totalCount nodes { id user { id } course { id } } }
    } }
    enrollments(first: 20) { totalCount nodes { id user { id } course { id } } }
  } }
}`;

/** Course `c`: `n` assignments, `n` active students, each student submitted to every other assignment. */
function courseWorld(c: number, n: number): CanvasEvent[] {
  const courseId = gid(90_000 + c);
  const events: CanvasEvent[] = [];
  for (let i = 0; i < n; i++) {
    const assignmentId = gid(91_000 + c * 100 + i);
    events.push(
      assignmentEvent({
        id: assignmentId,
        courseId,
        title: `A${i}`,
        dueAt: null,
        updatedAt: '2024-03-01T00:00:00.000Z',
        workflowState: 'published',
      }),
      enrollmentEvent({
        id: gid(92_000 + c * 100 + i),
        courseId,
        userId: gid(93_000 + c * 100 + i),
        type: 'StudentEnrollment',
        workflowState: 'active',
        userName: `S${i}`,
      }),
    );
    for (let j = 0; j < n; j += 2) {
      events.push(
        submissionEvent({
          id: gid(94_000 + c * 10_000 + i * 100 + j),
          courseId,
          assignmentId,
          userId: gid(93_000 + c * 100 + j),
          submittedAt: '2024-03-02T00:00:00.000Z',
        }),
      );
    }
  }
  return events;
}

describeEachDatabase('the deep courses → assignments → submissions / unsubmitted students query', (db) => {
  it('runs the same number of SQL statements for 1 course with 2 assignments as for 10 courses with 8', async () => {
    const client = await graphqlClient(db());
    await ingest(db(), courseWorld(1, 2));
    db().statements.length = 0;
    const small = await dataOf(client, DEEP_QUERY);
    const smallStatements = db().statements.length;
    expect(small.courses.nodes[0].assignments.nodes).toHaveLength(2);

    await ingest(db(), courseWorld(1, 8));
    for (let c = 2; c <= 10; c++) await ingest(db(), courseWorld(c, 8));
    db().statements.length = 0;
    const large = await dataOf(client, DEEP_QUERY);
    const largeStatements = db().statements.length;

    expect(large.courses.nodes).toHaveLength(10);
    for (const course of large.courses.nodes) {
      expect(course.assignments.totalCount).toBe(8);
      expect(course.enrollments.totalCount).toBe(8);
      for (const assignment of course.assignments.nodes) {
        expect(assignment.submissions.totalCount).toBe(4);
        expect(assignment.unsubmittedStudents.totalCount).toBe(4);
        for (const s of assignment.submissions.nodes)
          expect(s.assignment.id).toBe(assignment.submissions.nodes[0].assignment.id);
      }
    }
    // The courses page; a page and a count each for assignments, enrollments, submissions
    // and unsubmitted students; one lookup for every user field. Every `course` and
    // `assignment` is answered from rows the pages already fetched.
    expect({ smallStatements, largeStatements }).toEqual({ smallStatements: 10, largeStatements: 10 });
  });

  it('refuses a page larger than 100 and a nest of lists over the cost limit, before running anything', async () => {
    const client = await graphqlClient(db());
    const tooLarge = await client.query('{ assignments(first: 101) { nodes { id } } }');
    expect(tooLarge.errors?.[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT' } });
    expect(tooLarge.errors?.[0].message).toContain('first');

    db().statements.length = 0;
    const deep = await client.query(
      '{ courses(first: 100) { nodes { assignments(first: 100) { nodes { unsubmittedStudents(first: 100) { nodes { id } } } } } } }',
    );
    expect(deep.status).toBe(400);
    expect(deep.errors?.[0].extensions).toMatchObject({ limit: { name: 'cost', max: 50000 } });
    expect(db().statements).toEqual([]);

    const enrollments = await client.query(
      '{ courses(first: 100) { nodes { enrollments(first: 100) { nodes { course { enrollments(first: 100) { nodes { id } } } } } } } }',
    );
    expect(enrollments.errors?.[0].extensions).toMatchObject({ limit: { name: 'cost' } });
  });
});
