// The database goes away under load and comes back (MySQL only: the service talks to it
// through a TCP proxy that the test cuts, stalls and restores). While it is gone, ingest
// answers 503 with Retry-After and stores nothing, /readyz is 503, GraphQL answers a
// clear error, and the process stays up; afterwards everything works again without a
// restart, every acknowledged event is in the log exactly once and the projections are
// exactly what the log implies.
//
// CI: 160 events from 4 clients, one outage mid-stream, plus one in-flight insert and one
// in-flight query cut. Soak: RELIABILITY_OUTAGE_EVENTS=5000 (one cut every 40 acks).
import type { DataSource } from 'typeorm';
import { openDataSource } from '../../src/db/data-source';
import { entities, migrations } from '../../src/modules';
import { EventRecord } from '../../src/log/event.entity';
import { CanvasSender, sleep, until } from '../support/canvas-sender';
import { sampleCorpus } from '../support/corpus';
import { createMysqlDatabase } from '../support/databases';
import { Answer, graphql, LiveServer, postJson, send, startLiveServer } from '../support/live-server';
import { auditLog, contentHashOf, liveAndReplayed } from '../support/log-audit';
import { TcpProxy } from '../support/tcp-proxy';

const EVENTS = Number(process.env.RELIABILITY_OUTAGE_EVENTS ?? 160);
const COURSES_QUERY = '{ courses(first: 5) { nodes { id } } }';

const describeMysql = process.env.TEST_MYSQL_URL ? describe : describe.skip;

describeMysql('database outage [mysql]', () => {
  let db: { url: string; drop(): Promise<void> };
  let direct: DataSource;
  let served: DataSource;
  let proxy: TcpProxy;
  let server: LiveServer;

  beforeAll(async () => {
    db = await createMysqlDatabase();
    direct = await openDataSource({ url: db.url, entities, migrations });
    const target = new URL(db.url);
    proxy = await TcpProxy.start({ host: target.hostname, port: Number(target.port || 3306) });
    served = await openDataSource({ url: proxy.proxiedUrl(db.url), entities, migrations, migrate: false, poolSize: 4 });
    server = await startLiveServer(served);
  });

  afterAll(async () => {
    await server?.close();
    proxy?.restore();
    await served?.destroy().catch(() => undefined);
    await proxy?.close();
    await direct?.destroy();
    await db?.drop();
  });

  it('answers 503 + Retry-After while the database is gone, recovers without a restart, and keeps each acknowledged event once', async () => {
    const events = sampleCorpus(EVENTS, 7001);
    const sender = new CanvasSender({ baseUrl: () => server.url, events, clients: 4, deadlineMs: 90_000 });
    const sending = sender.run();
    const seenWhileCut: { readyz: number[]; graphql: Answer[] } = { readyz: [], graphql: [] };

    for (let next = 40; next < EVENTS; next += 40) {
      await until(() => sender.ackCount >= next || sender.ackCount === EVENTS, 30_000, `${next} acknowledgements`);
      if (sender.ackCount === EVENTS) break;
      proxy.cut();
      const refusedBefore = sender.report.statuses.get(503) ?? 0;
      await until(
        () => (sender.report.statuses.get(503) ?? 0) >= refusedBefore + 8,
        20_000,
        'refusals during the outage',
      );
      seenWhileCut.readyz.push((await send(`${server.url}/readyz`)).status);
      const answer = await graphql(server.url, COURSES_QUERY);
      seenWhileCut.graphql.push(answer);
      expect((await send(`${server.url}/healthz`)).status).toBe(200); // the process is up
      await sleep(100);
      proxy.restore();
    }
    const report = await sending;

    expect(report.unexpected).toEqual([]);
    expect(report.retryAfterMissing).toBe(0);
    expect(report.statuses.get(503)).toBeGreaterThan(0);
    expect(seenWhileCut.readyz.length).toBeGreaterThan(0);
    expect(new Set(seenWhileCut.readyz)).toEqual(new Set([503]));
    for (const answer of seenWhileCut.graphql) expectClearUnavailableError(answer);

    // Back without a restart.
    expect((await send(`${server.url}/readyz`)).status).toBe(200);
    const after = await graphql(server.url, COURSES_QUERY);
    expect(after.status).toBe(200);
    expect(after.body.errors).toBeUndefined();

    expect(await auditLog(direct, events, report.acked, { mustContainAll: true })).toEqual([]);
    const { live, replayed } = await liveAndReplayed(direct);
    expect(live).toEqual(replayed);
  }, 120_000);

  it('answers 503 for an insert whose connection dies in flight, and stores the event once when it is sent again', async () => {
    const [event] = sampleCorpus(1, 7002);
    proxy.stall();
    const answering = postJson(`${server.url}/events`, event);
    await sleep(150); // the transaction is now waiting on the database
    proxy.cut();
    const answer = await answering;
    proxy.restore();
    expect(answer.status).toBe(503);
    expect(answer.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(JSON.stringify(answer.body)).toMatch(/nothing was stored/);

    const again = await postJson(`${server.url}/events`, event);
    expect(again.status).toBe(200);
    expect(['stored', 'duplicate']).toContain(again.body.status);
    expect(await direct.getRepository(EventRecord).countBy({ contentHash: contentHashOf(event) })).toBe(1);
    const stored = await direct.getRepository(EventRecord).findOneByOrFail({ id: again.body.id });
    expect(stored.contentHash).toBe(contentHashOf(event));
  });

  it('answers a GraphQL query whose connection dies in flight with a clear error, and the same query after restore', async () => {
    proxy.stall();
    const answering = graphql(server.url, COURSES_QUERY);
    await sleep(150);
    proxy.cut();
    const answer = await answering;
    proxy.restore();
    expectClearUnavailableError(answer);
    const again = await graphql(server.url, COURSES_QUERY);
    expect(again.status).toBe(200);
    expect(again.body.data.courses.nodes.length).toBeGreaterThan(0);
  });
});

/** What a GraphQL client sees while the database is down: a 503 and an error that says so. */
function expectClearUnavailableError(answer: Answer) {
  expect(answer.status).toBe(503);
  expect(answer.body.errors).toEqual([
    expect.objectContaining({
      message: expect.stringMatching(/database is unavailable/i),
      extensions: expect.objectContaining({ code: 'SERVICE_UNAVAILABLE' }),
    }),
  ]);
}
