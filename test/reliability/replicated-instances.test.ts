// Three instances of the service behind a round-robin, each with its own pools on one
// MariaDB primary and on its GTID replica (test/support/replication.ts), take ingest and
// GraphQL queries at once. Every event is sent three times (forward, reversed, shuffled),
// each request to the next instance: duplicates race on different instances. Nothing is
// lost or doubled in the log, every instance names an event by the same id, the
// projections equal one clean run's, the replica ends equal to the primary, and the
// queries were answered — by the replica. Skipped with a message where MariaDB's server
// binaries are absent.
//
// CI: 150 events × 3 senders × 3 clients, 4 query clients. Soak: RELIABILITY_REPLICATED_EVENTS=3000.
import type { DataSource } from 'typeorm';
import { openDataSource, replicaDataSource, connectReplica } from '../../src/db/data-source';
import { entities, migrations } from '../../src/modules';
import { CanvasSender } from '../support/canvas-sender';
import { sampleCorpus } from '../support/corpus';
import type { TestDatabase } from '../support/databases';
import { appendEvents } from '../support/ingest-app';
import { LiveServer, postJson, startLiveServer } from '../support/live-server';
import { auditLog } from '../support/log-audit';
import { snapshotProjections } from '../support/projections';
import { ReplicationPair, replicationUnavailable, startReplicationPair } from '../support/replication';

const EVENTS = Number(process.env.RELIABILITY_REPLICATED_EVENTS ?? 150);
const INSTANCES = 3;
const skipReason = replicationUnavailable();
if (skipReason) console.warn(`replicated-instances tests skipped: ${skipReason}`);
const describeReplication = skipReason ? describe.skip : describe;

const QUERY = '{ submissions(first: 20) { totalCount nodes { id score } } courses(first: 5) { totalCount } }';

describeReplication('three instances with a read replica behind a round-robin', () => {
  let pair: ReplicationPair;
  const sources: DataSource[] = [];
  const servers: LiveServer[] = [];

  beforeAll(async () => {
    pair = (await startReplicationPair())!;
    await pair.primary.query('CREATE DATABASE canvas');
    const url = pair.primary.url('canvas');
    for (let i = 0; i < INSTANCES; i++) {
      const ds = await openDataSource({ url, entities, migrations, migrate: i === 0 });
      sources.push(ds);
      if (i === 0) await pair.caughtUp();
      servers.push(
        await startLiveServer(ds, { DATABASE_URL: url, REPLICA_CHECK_INTERVAL_MS: '500' }, undefined, [
          replicaDataSource({ url: pair.replica.url('canvas'), entities }),
        ]),
      );
    }
  }, 240_000);

  afterAll(async () => {
    await Promise.all(servers.map((s) => s.close()));
    await Promise.all(sources.map((ds) => ds.destroy()));
    await pair?.stop();
  }, 60_000);

  it('keeps each event once under concurrent ingest and queries, and the replica ends equal to the primary', async () => {
    const events = sampleCorpus(EVENTS, 1616);
    let turn = 0;
    const roundRobin = () => servers[turn++ % servers.length].url;
    const shuffled = events.map((_, i) => i).sort((a, b) => ((a * 7919) % 101) - ((b * 7919) % 101) || a - b);
    const orders = [events.map((_, i) => i), events.map((_, i) => events.length - 1 - i), shuffled];
    const senders = orders.map(
      (order, n) =>
        new CanvasSender({
          baseUrl: roundRobin,
          events: order.map((i) => events[i]),
          clients: 3,
          batchSizes: [
            [1, 3, 1, 5],
            [2, 1, 4, 1],
            [1, 1, 6],
          ][n],
          deadlineMs: 150_000,
        }),
    );
    const replicaSelectsBefore = await pair.replica.status('Com_select');
    let sending = true;
    const answers = new Map<number, number>();
    const queryErrors: string[] = [];
    const queryClient = async () => {
      while (sending) {
        const answer = await postJson(`${roundRobin()}/graphql`, { query: QUERY });
        answers.set(answer.status, (answers.get(answer.status) ?? 0) + 1);
        if (answer.status !== 200 || answer.body.errors) queryErrors.push(JSON.stringify(answer.body).slice(0, 300));
      }
    };
    const queries = Array.from({ length: 4 }, queryClient);
    const reports = await Promise.all(senders.map((s) => s.run())).finally(() => {
      sending = false;
    });
    await Promise.all(queries);

    expect(queryErrors).toEqual([]);
    expect(answers.get(200) ?? 0).toBeGreaterThan(0);
    // The replica answered (Com_select also counts the lag checks' neighbours: none are SELECTs).
    expect((await pair.replica.status('Com_select')) - replicaSelectsBefore).toBeGreaterThan(answers.get(200)!);

    const acked = reports.map((report, n) => new Map([...report.acked].map(([k, id]) => [orders[n][k], id])));
    for (const report of reports) {
      expect(report.unexpected).toEqual([]);
      // As in concurrent-instances.test.ts: a transaction that loses its retries is a 503, resent.
      const requests = [...report.statuses.values()].reduce((a, b) => a + b, 0);
      expect(report.statuses.get(503) ?? 0).toBeLessThanOrEqual(Math.ceil(requests / 100));
    }
    for (const other of acked.slice(1)) {
      for (const [i, id] of acked[0]) expect({ event: i, id: other.get(i) }).toEqual({ event: i, id });
    }
    expect(await auditLog(sources[0], events, acked[0], { mustContainAll: true })).toEqual([]);

    await pair.primary.query('CREATE DATABASE clean');
    const clean = await openDataSource({ url: pair.primary.url('clean'), entities, migrations });
    const replica = replicaDataSource({ url: pair.replica.url('canvas'), entities });
    try {
      await appendEvents({ dataSource: clean } as TestDatabase, events, { batch: true });
      const primarySnapshot = await snapshotProjections(sources[0]);
      expect(primarySnapshot).toEqual(await snapshotProjections(clean));
      await pair.caughtUp();
      await connectReplica(replica);
      expect(await auditLog(replica, events, acked[0], { mustContainAll: true })).toEqual([]);
      expect(await snapshotProjections(replica)).toEqual(primarySnapshot);
    } finally {
      await clean.destroy();
      if (replica.isInitialized) await replica.destroy();
    }
  }, 240_000);
});
