// Batching: a deep query costs a fixed number of SQL statements, however many rows it
// returns, because every relation and per-parent list goes through a per-request
// DataLoader and nested pages are fetched for all parents in one statement.
import { describeEachDatabase } from '../support/databases';
import { commentEvent, dataOf, gid, graphqlClient, ingest, submissionEvent } from '../support/graphql-fixtures';
import type { CanvasEvent } from '../support/builders';

const DEEP_QUERY = `{
  courses(first: 10) { nodes { submissions(first: 50) { nodes {
    course { id }
    comments { totalCount nodes { id submission { id } } }
    history { score }
  } } } }
}`;

/** A course with `count` submissions, each with two comments and two states in its history. */
function courseWithSubmissions(course: number, from: number, count: number): CanvasEvent[] {
  const courseId = gid(100 + course);
  const events: CanvasEvent[] = [];
  for (let i = from; i < from + count; i++) {
    const submissionId = gid(course * 1000 + i);
    events.push(
      submissionEvent({
        id: submissionId,
        courseId,
        name: 'submission_created',
        score: null,
        updatedAt: '2024-01-01T00:00:00.000Z',
      }),
      submissionEvent({ id: submissionId, courseId, score: i, updatedAt: '2024-01-02T00:00:00.000Z' }),
      commentEvent({ id: gid(course * 100000 + i * 10 + 1), submissionId, courseId }),
      commentEvent({ id: gid(course * 100000 + i * 10 + 2), submissionId, courseId }),
    );
  }
  return events;
}

type DeepResult = {
  courses: {
    nodes: Array<{
      submissions: {
        nodes: Array<{
          course: { id: string };
          comments: { totalCount: number; nodes: Array<{ id: string; submission: { id: string } }> };
          history: Array<{ score: number | null }>;
        }>;
      };
    }>;
  };
};

describeEachDatabase('the deep courses → submissions → comments query', (db) => {
  it('runs the same small number of SQL statements for 1 course with 5 submissions as for 10 courses with 50 each', async () => {
    const client = await graphqlClient(db());
    await ingest(db(), courseWithSubmissions(1, 0, 5));

    db().statements.length = 0;
    const small = await dataOf<DeepResult>(client, DEEP_QUERY);
    const smallStatements = db().statements.length;

    expect(small.courses.nodes).toHaveLength(1);
    expect(small.courses.nodes[0].submissions.nodes).toHaveLength(5);

    await ingest(db(), courseWithSubmissions(1, 5, 45));
    for (let course = 2; course <= 10; course++) await ingest(db(), courseWithSubmissions(course, 0, 50));

    db().statements.length = 0;
    const large = await dataOf<DeepResult>(client, DEEP_QUERY);
    const largeStatements = db().statements.length;

    expect(large.courses.nodes).toHaveLength(10);
    const courseIds = new Set<string>();
    for (const course of large.courses.nodes) {
      expect(course.submissions.nodes).toHaveLength(50);
      expect(new Set(course.submissions.nodes.map((s) => s.course.id)).size).toBe(1);
      courseIds.add(course.submissions.nodes[0].course.id);
      const commentedOn = course.submissions.nodes.map((s) => {
        expect(s.comments.totalCount).toBe(2);
        expect(s.history.map((h) => h.score)).toEqual([null, expect.any(Number)]);
        const [first, second] = s.comments.nodes.map((c) => c.submission.id);
        expect(second).toBe(first);
        return first;
      });
      expect(new Set(commentedOn).size).toBe(50);
    }
    expect(courseIds.size).toBe(10);
    // courses page, submissions of every course, comments of every submission, their
    // counts, and the history of every submission; course and submission lookups are
    // served from rows the pages already fetched.
    expect({ smallStatements, largeStatements }).toEqual({ smallStatements: 5, largeStatements: 5 });
  });

  it('starts the count behind a nested totalCount in the same batch as its page, not after it', async () => {
    const client = await graphqlClient(db());
    db().statements.length = 0;
    await dataOf(client, DEEP_QUERY);
    const isCommentCount = (sql: string) => /COUNT\(\*\)/.test(sql) && /submission_comments/.test(sql);
    const isCommentPage = (sql: string) => /ROW_NUMBER\(\)/.test(sql) && /submission_comments/.test(sql);
    const count = db().statements.findIndex(isCommentCount);
    const page = db().statements.findIndex(isCommentPage);
    // Started with the page, the count is dispatched in the same batch, just ahead of it;
    // a count that waited for its page would only be sent after the page's answer.
    expect(count).toBeGreaterThanOrEqual(0);
    expect(page).toBe(count + 1);
  });
});
