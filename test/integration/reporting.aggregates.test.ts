// The aggregate engine against a generated course, on both databases: 34 students, 6
// assignments, grades, late and missing work, resubmissions (an older event and a newer
// one), comments over three weeks across the daylight-saving changes of Berlin (27 Oct
// 2024) and Chicago (3 Nov 2024), and conversations, all ingested as Canvas events through
// the real event log. Every aggregate is compared with what this file computes in JS from
// the events it generated: the latest event per submission is its state, groups are
// formed and ordered here, sums and a two-pass population stddev computed here.
import { BadInputError } from '../../src/errors';
import { aggregate, StatsFilter, StatsPage } from '../../src/reporting/aggregate';
import {
  CommentGroupBy,
  commentDataset,
  MessageGroupBy,
  messageDataset,
  SubmissionGroupBy,
  submissionDataset,
} from '../../src/reporting/datasets';
import { bucketStart, timeZoneOf } from '../../src/reporting/time-buckets';
import { describeEachDatabase, TestDatabase } from '../support/databases';
import { gid, ingest } from '../support/graphql-fixtures';
import {
  ASSIGNMENTS,
  closeEnough,
  COMMENT_FIELDS,
  COURSE,
  emptyKey,
  expectedActivity,
  expectedSubmissionStats,
  generate,
  MESSAGE_FIELDS,
  submissionStatsOf,
} from '../support/reporting-course';

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
