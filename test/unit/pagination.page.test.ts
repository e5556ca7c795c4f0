// A page request and the connection built from its rows (src/graphql/pagination/
// page-request.ts and connection.ts): `first` bounds, `after` decoded for its list, and
// nodes, edges, pageInfo and totalCount from the LIMIT first + 1 rows a query returned.
import { BadInputError } from '../../src/errors';
import { Connection } from '../../src/graphql/pagination/connection';
import { encodeCursor } from '../../src/graphql/pagination/cursor';
import { DEFAULT_PAGE_SIZE, ListOrder, MAX_PAGE_SIZE, pageRequest } from '../../src/graphql/pagination/page-request';

const BY_ID: ListOrder = { scope: 'courses', field: null, direction: 'ASC' };

describe('pageRequest', () => {
  it('asks for the default page size when `first` is omitted', () => {
    expect(pageRequest({}, BY_ID)).toEqual({ first: DEFAULT_PAGE_SIZE, after: null, position: null, order: BY_ID });
    expect(pageRequest({ first: null, after: null }, BY_ID).first).toBe(DEFAULT_PAGE_SIZE);
  });

  it('accepts 0 to MAX_PAGE_SIZE items', () => {
    expect(pageRequest({ first: 0 }, BY_ID).first).toBe(0);
    expect(pageRequest({ first: MAX_PAGE_SIZE }, BY_ID).first).toBe(MAX_PAGE_SIZE);
  });

  it.each([-1, MAX_PAGE_SIZE + 1])('refuses first: %d, naming the argument', (first) => {
    expect(() => pageRequest({ first }, BY_ID)).toThrow(
      new BadInputError(`must be between 0 and ${MAX_PAGE_SIZE}, got ${first}`, 'first'),
    );
  });

  it('decodes `after` for the list it is given', () => {
    const after = encodeCursor({ id: '42' }, BY_ID);
    expect(pageRequest({ first: 5, after }, BY_ID).position).toEqual({ value: null, id: '42' });
    expect(() => pageRequest({ after }, { ...BY_ID, scope: 'users' })).toThrow(/another list or order/);
  });
});

describe('Connection', () => {
  const rows = ['1', '2', '3'].map((id) => ({ id }));

  it('keeps `first` rows and reports the extra one as a next page', () => {
    const page = new Connection(rows, pageRequest({ first: 2 }, BY_ID), () => Promise.resolve(3));
    expect(page.nodes).toEqual([{ id: '1' }, { id: '2' }]);
    expect(page.pageInfo).toEqual({
      hasNextPage: true,
      hasPreviousPage: false,
      startCursor: encodeCursor({ id: '1' }, BY_ID),
      endCursor: encodeCursor({ id: '2' }, BY_ID),
    });
    expect(page.edges.map((edge) => edge.cursor)).toEqual([page.pageInfo.startCursor, page.pageInfo.endCursor]);
  });

  it('has no next page without the extra row, and a previous one after a cursor', () => {
    const after = encodeCursor({ id: '0' }, BY_ID);
    const page = new Connection(rows, pageRequest({ first: 3, after }, BY_ID), () => Promise.resolve(4));
    expect(page.pageInfo.hasNextPage).toBe(false);
    expect(page.pageInfo.hasPreviousPage).toBe(true);
  });

  it('has null cursors when empty', () => {
    const page = new Connection([], pageRequest({}, BY_ID), () => Promise.resolve(0));
    expect(page.pageInfo).toMatchObject({ startCursor: null, endCursor: null, hasNextPage: false });
    expect(page.edges).toEqual([]);
  });

  it('counts only when totalCount is read, and only once', async () => {
    const count = jest.fn(() => Promise.resolve(3));
    const page = new Connection(rows, pageRequest({}, BY_ID), count);
    expect(count).not.toHaveBeenCalled();
    expect(await page.totalCount).toBe(3);
    expect(await page.totalCount).toBe(3);
    expect(count).toHaveBeenCalledTimes(1);
  });
});
