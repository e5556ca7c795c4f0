// insertRows (src/db/bulk-insert.ts) writes what TypeORM would, and splits statements
// before they outgrow the database's packet limit, never inside a row.
import { insertRows } from '../../src/db/bulk-insert';
import { EventRecord } from '../../src/log/event.entity';
import { describeEachDatabase } from '../support/databases';

const isInsert = (sql: string) => /^\s*INSERT INTO\b/i.test(sql);

describeEachDatabase('multi-row inserts', (db) => {
  it('keeps every value (ids, instants, text) and splits statements by size, a row never across two', async () => {
    const big = (c: string) => c.repeat(2.5 * 1024 * 1024); // 2.5 MiB: two do not fit one 4 MiB statement
    const rows = ['a', 'b', 'c'].map((c, i) => ({
      contentHash: c.repeat(64),
      name: 'submission_created',
      time: new Date(Date.UTC(2024, 2, 1, 12, 0, i, 123)),
      receivedAt: new Date(Date.UTC(2024, 2, 1, 12, 0, 30)),
      status: 'UNPROJECTED' as const,
      error: i === 0 ? null : 'ünïcödé 😀',
      payload: big(c),
    }));
    db().statements.length = 0;
    await insertRows(db().dataSource.manager, EventRecord, rows);
    expect(db().statements.filter(isInsert)).toHaveLength(3);
    const stored = await db()
      .dataSource.getRepository(EventRecord)
      .find({ order: { contentHash: 'ASC' } });
    expect(stored.map(({ id, ...rest }) => ({ ...rest, idIsDecimal: /^[0-9]+$/.test(id) }))).toEqual(
      rows.map((row) => ({ ...row, idIsDecimal: true })),
    );
  });

  it('puts many small rows in one statement', async () => {
    const rows = Array.from({ length: 300 }, (_, i) => ({
      contentHash: i.toString(16).padStart(64, '0'),
      name: 'n',
      time: new Date(0),
      receivedAt: new Date(0),
      status: 'INVALID' as const,
      error: 'x',
      payload: '{}',
    }));
    db().statements.length = 0;
    await insertRows(db().dataSource.manager, EventRecord, rows);
    expect(db().statements.filter(isInsert)).toHaveLength(1);
  });
});
