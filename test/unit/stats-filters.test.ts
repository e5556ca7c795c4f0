// The stats filters: every field of a filter input becomes a condition, and a field with
// no condition (a filter input that gained one elsewhere) fails loudly instead of being
// ignored. What the conditions select is checked on both databases in
// test/integration/reporting.graphql.test.ts.
import { commentStatsFilter, messageStatsFilter, submissionStatsFilter } from '../../src/domains/reporting';

describe('stats filters', () => {
  it('maps every given field to a condition with its parameter, ids as BigInt', () => {
    expect(submissionStatsFilter({ courseId: '21070000000000565', late: false, scoreAtLeast: 50 })).toEqual({
      where: 's.course_id = ? AND s.late = ? AND s.score >= ?',
      params: [21070000000000565n, 0, 50],
      joins: [],
    });
    expect(commentStatsFilter({ assignmentId: '7', createdBefore: new Date('2026-11-01T05:00:00Z') })).toEqual({
      where: 's.assignment_id = ? AND c.created_at < ?',
      params: [7n, '2026-11-01 05:00:00.000'],
      joins: ['s'],
    });
    expect(messageStatsFilter(null)).toEqual({ where: '', params: [], joins: [] });
  });

  it('refuses to ignore a filter field it has no condition for', () => {
    expect(() => messageStatsFilter({ sectionId: '5' } as never)).toThrow(
      'MessageFilter.sectionId has no stats condition',
    );
    expect(() => submissionStatsFilter({ sectionId: '5' } as never)).toThrow('SubmissionFilter.sectionId');
    // Absent and null fields are "not given".
    expect(messageStatsFilter({ authorId: null, courseId: null } as never).where).toBe('');
  });
});
