// The keyset SQL (src/graphql/pagination/keyset.ts): the ORDER BY of a list and the
// condition for "after the cursor", including where NULL sort values fall (lowest:
// first ascending, last descending). The pagination integration tests run them on both
// databases; here, their construction.
import { afterCondition, comparable, orderTerms } from '../../src/graphql/pagination/keyset';
import type { ListOrder } from '../../src/graphql/pagination/page-request';

const order = (direction: 'ASC' | 'DESC', field: ListOrder['field'] = null): ListOrder => ({
  scope: 'test',
  field,
  direction,
});
const SUBMITTED_AT = { property: 'submittedAt', kind: 'time' } as const;
const SCORE = { property: 'score', kind: 'number' } as const;
const TITLE = { property: 'title', kind: 'text' } as const;

describe('orderTerms', () => {
  it('sorts by id alone when the list has no sort field', () => {
    expect(orderTerms(order('ASC'))).toEqual([{ property: 'id', direction: 'ASC' }]);
  });

  it('breaks ties of the sort field on id, in the same direction', () => {
    expect(orderTerms(order('DESC', SCORE))).toEqual([
      { property: 'score', direction: 'DESC' },
      { property: 'id', direction: 'DESC' },
    ]);
  });
});

describe('afterCondition', () => {
  it('compares ids alone in id order, as 64-bit integers', () => {
    expect(afterCondition('n', order('ASC'), { value: null, id: '9223372036854775807' })).toEqual({
      sql: 'n.id > :afterId',
      parameters: { afterId: 9223372036854775807n },
    });
    expect(afterCondition('c', order('DESC'), { value: null, id: '5' }).sql).toBe('c.id < :afterId');
  });

  it('ascending, after a value: larger values, or the same value and a larger id', () => {
    expect(afterCondition('n', order('ASC', SCORE), { value: 7.5, id: '12' })).toEqual({
      sql: '(n.score > :afterValue OR (n.score = :afterValue AND n.id > :afterId))',
      parameters: { afterValue: 7.5, afterId: 12n },
    });
  });

  it('descending, after a value: smaller values, the same value and a smaller id, then every NULL', () => {
    expect(afterCondition('n', order('DESC', SCORE), { value: 7.5, id: '12' })).toEqual({
      sql: '(n.score < :afterValue OR (n.score = :afterValue AND n.id < :afterId) OR n.score IS NULL)',
      parameters: { afterValue: 7.5, afterId: 12n },
    });
  });

  it('ascending, after a NULL: the NULLs with a larger id, then every value', () => {
    expect(afterCondition('n', order('ASC', SUBMITTED_AT), { value: null, id: '3' })).toEqual({
      sql: '(n.submittedAt IS NOT NULL OR (n.submittedAt IS NULL AND n.id > :afterId))',
      parameters: { afterId: 3n },
    });
  });

  it('descending, after a NULL: only the NULLs with a smaller id', () => {
    expect(afterCondition('n', order('DESC', SUBMITTED_AT), { value: null, id: '3' })).toEqual({
      sql: '(n.submittedAt IS NULL AND n.id < :afterId)',
      parameters: { afterId: 3n },
    });
  });

  it('binds a time as a Date, so each driver writes it in its own column format', () => {
    const { parameters } = afterCondition('n', order('ASC', SUBMITTED_AT), {
      value: '2026-03-01T10:15:30.123Z',
      id: '3',
    });
    expect(parameters.afterValue).toEqual(new Date('2026-03-01T10:15:30.123Z'));
  });
});

describe('text sort keys', () => {
  it('marks a text term, so its ORDER BY compares bytes', () => {
    expect(orderTerms(order('ASC', TITLE))).toEqual([
      { property: 'title', direction: 'ASC', text: true },
      { property: 'id', direction: 'ASC' },
    ]);
  });

  it('compares text as bytes on MySQL (whose utf8mb4_bin pads with spaces) and as it is on SQLite', () => {
    expect(comparable('n.title', true, 'mysql')).toBe('CAST(n.title AS BINARY)');
    expect(comparable('n.title', true, 'better-sqlite3')).toBe('n.title');
    expect(comparable('n.score', undefined, 'mysql')).toBe('n.score');
    expect(afterCondition('n', order('ASC', TITLE), { value: 'Essay ', id: '4' }, 'mysql')).toEqual({
      sql: '(CAST(n.title AS BINARY) > :afterValue OR (CAST(n.title AS BINARY) = :afterValue AND n.id > :afterId))',
      parameters: { afterValue: 'Essay ', afterId: 4n },
    });
  });
});
