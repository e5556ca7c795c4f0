// The cursor codec (src/graphql/pagination/cursor.ts): what encodeCursor writes,
// decodeCursor reads back for the same list and order, and refuses for anything else.
import fc from 'fast-check';
import { BadInputError } from '../../src/errors';
import { decodeCursor, encodeCursor } from '../../src/graphql/pagination/cursor';
import type { ListOrder } from '../../src/graphql/pagination/page-request';

const BY_ID: ListOrder = { scope: 'courses', field: null, direction: 'ASC' };
const BY_TIME: ListOrder = {
  scope: 'submissions:SUBMITTED_AT:DESC',
  field: { property: 'submittedAt', kind: 'time' },
  direction: 'DESC',
};
const BY_SCORE: ListOrder = {
  scope: 'submissions:SCORE:ASC',
  field: { property: 'score', kind: 'number' },
  direction: 'ASC',
};

const BY_TITLE: ListOrder = {
  scope: 'assignments:TITLE:ASC',
  field: { property: 'title', kind: 'text' },
  direction: 'ASC',
};

const MAX_ID = '9223372036854775807';
const raw = (payload: unknown) => Buffer.from(JSON.stringify(payload), 'utf8').toString('base64url');

function refusal(cursor: string, order: ListOrder): BadInputError {
  try {
    decodeCursor(cursor, order);
  } catch (error) {
    if (error instanceof BadInputError) return error;
    throw error;
  }
  throw new Error(`accepted ${cursor}`);
}

describe('cursor round trips', () => {
  it('keeps the id of a list in id order, every digit of it', () => {
    expect(decodeCursor(encodeCursor({ id: '21070000000000565' }, BY_ID), BY_ID)).toEqual({
      value: null,
      id: '21070000000000565',
    });
    expect(decodeCursor(encodeCursor({ id: MAX_ID }, BY_ID), BY_ID)).toEqual({ value: null, id: MAX_ID });
  });

  it('keeps a time as its ISO instant, with milliseconds', () => {
    const row = { id: '7', submittedAt: new Date('2026-03-01T10:15:30.123Z') };
    expect(decodeCursor(encodeCursor(row, BY_TIME), BY_TIME)).toEqual({ value: '2026-03-01T10:15:30.123Z', id: '7' });
  });

  it('keeps a missing sort value as null, so the NULL rule of the order applies', () => {
    expect(decodeCursor(encodeCursor({ id: '7', submittedAt: null }, BY_TIME), BY_TIME)).toEqual({
      value: null,
      id: '7',
    });
    expect(decodeCursor(encodeCursor({ id: '8' }, BY_SCORE), BY_SCORE)).toEqual({ value: null, id: '8' });
  });

  it('round-trips any id and score', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 0n, max: 2n ** 63n - 1n }),
        fc.option(fc.double({ noNaN: true, noDefaultInfinity: true }), { nil: null }),
        (id, score) => {
          const position = decodeCursor(encodeCursor({ id: id.toString(), score }, BY_SCORE), BY_SCORE);
          // JSON has no -0: it comes back as 0, which sorts the same.
          expect(position).toEqual({ value: Object.is(score, -0) ? 0 : score, id: id.toString() });
        },
      ),
    );
  });

  it('keeps a text sort value whole, however long: the longest title a TEXT column holds, escaped at its worst', () => {
    const longest = '\u0001'.repeat(65_535);
    for (const title of ['Essay ', 'Ärger 🎉', '', longest, null]) {
      const cursor = encodeCursor({ id: '5', title }, BY_TITLE);
      expect(decodeCursor(cursor, BY_TITLE)).toEqual({ value: title, id: '5' });
    }
    expect(encodeCursor({ id: '5', title: longest }, BY_TITLE).length).toBeGreaterThan(500_000);
  });

  it('writes only URL-safe characters', () => {
    expect(encodeCursor({ id: '1', submittedAt: new Date(0) }, BY_TIME)).toMatch(/^[A-Za-z0-9_-]+$/);
  });
});

describe('cursor refusals', () => {
  it('names the other list or order a cursor belongs to', () => {
    const error = refusal(encodeCursor({ id: '1' }, BY_ID), { ...BY_ID, scope: 'users' });
    expect(error.path).toBe('after');
    expect(error.detail).toBe(
      'is a cursor of another list or order (courses), not of users: cursors only continue the list that made them',
    );
    // The same list in another order is another list.
    expect(
      refusal(encodeCursor({ id: '1', score: 3 }, BY_SCORE), { ...BY_SCORE, scope: 'submissions:SCORE:DESC' }).detail,
    ).toMatch(/another list or order \(submissions:SCORE:ASC\)/);
  });

  it.each([
    ['not base64url', 'abc+/='],
    ['empty', ''],
    ['too long', 'A'.repeat(2001)],
    ['not JSON', Buffer.from('{oops', 'utf8').toString('base64url')],
    ['not an array', raw({ scope: 'courses', id: '1' })],
    ['of another version', raw([2, 'courses', null, '1'])],
    ['too short', raw([1, 'courses', null])],
    ['too long an array', raw([1, 'courses', null, '1', 'extra'])],
    ['without a scope', raw([1, 7, null, '1'])],
    ['with a numeric id', raw([1, 'courses', null, 1])],
    ['with an id that is not decimal', raw([1, 'courses', null, '0x1F'])],
    ['with an id beyond 64 bits', raw([1, 'courses', null, '9223372036854775808'])],
    ['with a sort value for an order by id', raw([1, 'courses', 5, '1'])],
  ])('refuses a cursor %s', (_what, cursor) => {
    const error = refusal(cursor, BY_ID);
    expect(error.path).toBe('after');
    expect(error.detail).toBe('is not a cursor from this API: pass a cursor a previous page returned');
  });

  it.each([
    ['a number for a time order', BY_TIME, raw([1, BY_TIME.scope, 5, '1'])],
    ['a string that is no time', BY_TIME, raw([1, BY_TIME.scope, 'yesterday', '1'])],
    ['a string for a number order', BY_SCORE, raw([1, BY_SCORE.scope, '5', '1'])],
    ['a boolean', BY_SCORE, raw([1, BY_SCORE.scope, true, '1'])],
    ['a number for a text order', BY_TITLE, raw([1, BY_TITLE.scope, 5, '1'])],
  ])('refuses a sort value of the wrong kind: %s', (_what, order, cursor) => {
    expect(refusal(cursor, order).detail).toMatch(/^is not a cursor from this API/);
  });

  it('refuses a cursor longer than any of its order can be: 2,000 characters, or the longest text one', () => {
    expect(refusal('A'.repeat(2001), BY_SCORE).detail).toMatch(/^is not a cursor from this API/);
    expect(refusal('A'.repeat(600_000), BY_TITLE).detail).toMatch(/^is not a cursor from this API/);
  });
});
