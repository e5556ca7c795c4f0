// Two instances of the service (two apps, two connection pools) on one MySQL database
// take the same corpus at the same time, in different orders, from several clients each:
// every delivery races a duplicate on the other instance, and events of one row race
// each other. Each event ends up once, both instances name it by the same id, and the
// projections equal a single clean run's. (MySQL only: SQLite has one writer.)
//
// CI: 200 events × 2 instances × 4 clients. Soak: RELIABILITY_CONCURRENT_EVENTS=5000.
import type { DataSource } from 'typeorm';
import { openDataSource } from '../../src/db/data-source';
import { entities, migrations } from '../../src/modules';
import { CanvasSender } from '../support/canvas-sender';
import { sampleCorpus } from '../support/corpus';
import { createMysqlDatabase, createTestDatabase } from '../support/databases';
import { appendEvents } from '../support/ingest-app';
import { LiveServer, startLiveServer } from '../support/live-server';
import { auditLog } from '../support/log-audit';
import { snapshotProjections } from '../support/projections';

const EVENTS = Number(process.env.RELIABILITY_CONCURRENT_EVENTS ?? 200);
const describeMysql = process.env.TEST_MYSQL_URL ? describe : describe.skip;

describeMysql('two instances on one database [mysql]', () => {
  let db: { url: string; drop(): Promise<void> };
  const sources: DataSource[] = [];
  const servers: LiveServer[] = [];

  beforeAll(async () => {
    db = await createMysqlDatabase();
    sources.push(await openDataSource({ url: db.url, entities, migrations }));
    sources.push(await openDataSource({ url: db.url, entities, migrations, migrate: false }));
    for (const ds of sources) servers.push(await startLiveServer(ds));
  });

  afterAll(async () => {
    await Promise.all(servers.map((s) => s.close()));
    await Promise.all(sources.map((ds) => ds.destroy()));
    await db?.drop();
  });

  it('keeps each event once, named by the same id on both, with the projections of one clean run', async () => {
    const events = sampleCorpus(EVENTS, 4242);
    // Instance A gets the corpus in order, B reversed: the same events meet in the middle.
    const order = [events.map((_, i) => i), events.map((_, i) => events.length - 1 - i)];
    const senders = servers.map(
      (server, n) =>
        new CanvasSender({
          baseUrl: () => server.url,
          events: order[n].map((i) => events[i]),
          clients: 4,
          batchSizes: n === 0 ? [1, 3, 1, 5] : [2, 1, 4, 1],
          deadlineMs: 90_000,
        }),
    );
    const reports = await Promise.all(senders.map((s) => s.run()));

    const acked = reports.map((report, n) => new Map([...report.acked].map(([k, id]) => [order[n][k], id])));
    for (const report of reports) {
      expect(report.unexpected).toEqual([]);
      // Races and deadlocks are retried inside the transaction (src/db/transaction.ts); a
      // request whose transaction loses 10 in a row is answered 503 and resent, like Canvas
      // would. Since batches lock their rows up front in table and id order
      // (src/db/unit-of-work.ts) none was seen in 4,500 requests of the 5,000-event soak;
      // the allowance stays because two instances inserting the same new row still race.
      const requests = [...report.statuses.values()].reduce((a, b) => a + b, 0);
      expect(report.statuses.get(503) ?? 0).toBeLessThanOrEqual(Math.ceil(requests / 100));
    }
    for (const [i, id] of acked[0]) expect({ event: i, id: acked[1].get(i) }).toEqual({ event: i, id });
    expect(await auditLog(sources[0], events, acked[0], { mustContainAll: true })).toEqual([]);

    const clean = await createTestDatabase('mysql');
    try {
      await appendEvents(clean, events, { batch: true });
      expect(await snapshotProjections(sources[0])).toEqual(await snapshotProjections(clean.dataSource));
    } finally {
      await clean.drop();
    }
  }, 120_000);
});
