// The five department questions (examples/*.graphql), each run with the variables its
// file documents against examples/department.ndjson — the generated course a user loads
// to try them in the IDE — and compared with answers computed from the events alone.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describeEachDatabase } from '../support/databases';
import { DEPARTMENT, departmentAnswers, departmentEvents } from '../support/department';
import { dataOf, graphqlClient, ingest } from '../support/graphql-fixtures';

const EXAMPLES = join(__dirname, '..', '..', 'examples');
const datasetText = readFileSync(join(EXAMPLES, 'department.ndjson'), 'utf8');

/** An example's text and the variables its "# Variables: {…}" line documents. */
function example(name: string): { query: string; variables: Record<string, unknown> } {
  const query = readFileSync(join(EXAMPLES, `${name}.graphql`), 'utf8');
  const line = /^#.*\bVariables:\s*(\{.*\})\s*$/m.exec(query);
  if (!line) throw new Error(`${name}.graphql documents no variables`);
  return { query, variables: JSON.parse(line[1]) };
}

const events = departmentEvents();
const answers = departmentAnswers(events);
const close = (value: number | null) => (value === null ? null : expect.closeTo(value, 9));

it('examples/department.ndjson is what test/support/department.ts generates', () => {
  expect(datasetText).toBe(events.map((e) => `${JSON.stringify(e)}\n`).join(''));
});

describeEachDatabase('the department examples', (db) => {
  let client: Awaited<ReturnType<typeof graphqlClient>>;

  beforeAll(async () => {
    client = await graphqlClient(db());
    await ingest(db(), datasetText.trim().split('\n'));
  });

  it('assignment-progress: counts per assignment, with titles from the assignments', async () => {
    const { query, variables } = example('assignment-progress');
    const data = await dataOf(client, query, variables);
    expect(data.course.assignments.nodes.map((a: { id: string }) => a.id)).toEqual([
      '21070000000000701',
      '21070000000000702',
      '21070000000000703',
      '21070000000000704',
      '21070000000000705',
    ]);
    expect(data.submissionStats.totalCount).toBe(answers.perAssignment.length);
    expect(data.submissionStats.nodes).toEqual(
      answers.perAssignment.map((a) => ({
        key: { assignmentId: a.assignmentId },
        count: a.count,
        submittedCount: a.submittedCount,
        gradedCount: a.gradedCount,
        lateCount: a.lateCount,
        missingCount: a.missingCount,
      })),
    );
  });

  it('average-score-per-assignment: the score distribution of each assignment', async () => {
    const { query, variables } = example('average-score-per-assignment');
    const data = await dataOf(client, query, variables);
    // Over graded submissions: an assignment with none graded yet has no group.
    expect(data.submissionStats.nodes).toEqual(
      answers.perAssignment
        .filter((a) => a.score.count > 0)
        .map((a) => ({
          key: { assignmentId: a.assignmentId },
          score: {
            count: a.score.count,
            avg: close(a.score.avg),
            min: a.score.min,
            max: a.score.max,
            stddev: close(a.score.stddev),
          },
        })),
    );
  });

  it('who-has-not-submitted: active students without submitted work, missing ones included', async () => {
    // The course-wide example; its documented course is the Canvas fixtures', so ask for this one.
    const { query } = example('who-has-not-submitted');
    const data = await dataOf(client, query, { courseId: DEPARTMENT.courseId });
    const assignment = data.course.assignments.nodes.find((a: { id: string }) => a.id === DEPARTMENT.assignmentId);
    const students = assignment.unsubmittedStudents;
    expect(students.totalCount).toBe(answers.unsubmittedUserIds.length);
    expect(students.nodes.map((n: { userId: string }) => n.userId).sort()).toEqual(answers.unsubmittedUserIds);
  });

  it('comments-per-day: local days in Chicago, the 25-hour day of the DST change included', async () => {
    const { query, variables } = example('comments-per-day');
    const data = await dataOf(client, query, variables);
    expect(
      data.commentStats.nodes.map((n: { key: { period: string }; count: number }) => [n.key.period, n.count]),
    ).toEqual(answers.commentsPerDay);
    // The day the clocks go back starts at 05:00Z and the next at 06:00Z.
    expect(answers.commentsPerDay.map(([period]) => period)).toContain('2026-11-01T05:00:00.000Z');
    expect(answers.commentsPerDay.map(([period]) => period)).toContain('2026-11-02T06:00:00.000Z');
  });

  it('most-active-conversations: a conversation that only receives messages is the most active', async () => {
    const { query, variables } = example('most-active-conversations');
    const data = await dataOf(client, query, variables);
    expect(
      data.messageStats.nodes.map((n: { key: { conversationId: string }; count: number }) => [
        n.key.conversationId,
        n.count,
      ]),
    ).toEqual(answers.messagesThisWeek);
    const active = data.conversations.nodes.map((c: { id: string }) => c.id);
    expect(active.sort()).toEqual(answers.messagesThisWeek.map(([id]) => id).sort());
    // Started in September, busiest this week.
    expect(active).toContain('21070000000005301');
  });
});
