// Ingest is bound by round trips, so the number of statements a batch costs is a
// figure to keep: the bench corpus, posted as NDJSON batches of 1,000 events (the first
// on an empty database, the later ones mostly updating rows), must stay under a bound.
import { corpusLines, ndjsonBatches } from '../../bench/lib/corpus';
import { describeEachDatabase, isCommit } from '../support/databases';
import { ingestApp, postEvents } from '../support/ingest-app';

const EVENTS = 5000;
const BATCH = 1000;
/**
 * DML statements per event allowed: 9.4 when every row was read and written per event;
 * about 0.22 with the unit of work (a few statements per table and batch, plus the
 * launch-fact reads and resource-link writes, which are still per event).
 */
const BOUND_PER_EVENT = Number(process.env.STATEMENT_BOUND ?? 0.3);

const isDml = (sql: string) => /^\s*(SELECT|INSERT|UPDATE|DELETE|REPLACE)\b/i.test(sql);

/** Single-event POSTs from this many clients at once, each sending its share one after another. */
const CLIENTS = 16;
const SINGLE_EVENTS = 320;
/**
 * Alone, a single event costs about 9.4 DML statements and a commit. Requests that arrive
 * while a transaction runs are committed together with the next group (group commit), so
 * concurrent single events share them: at most 3 statements and a third of a commit each.
 */
const SINGLE_BOUND_PER_EVENT = 3;
const COMMITS_PER_EVENT = 1 / 3;

describeEachDatabase('statements per ingested batch', (db) => {
  it(`${BATCH}-event NDJSON batches take fewer than ${BOUND_PER_EVENT} DML statements per event`, async () => {
    const app = await ingestApp(db());
    const counts: number[] = [];
    for (const batch of ndjsonBatches(corpusLines({ count: EVENTS, seed: 100, idBase: 20_000_000 }), BATCH)) {
      db().statements.length = 0;
      const response = await postEvents(app, batch.body, 'application/x-ndjson');
      expect(response.status).toBe(200);
      const dml = db().statements.filter(isDml);
      counts.push(dml.length);
      if (process.env.STATEMENT_REPORT) {
        const byKind = new Map<string, number>();
        for (const sql of dml) {
          const kind = sql.replace(/\s+/g, ' ').slice(0, 60);
          byKind.set(kind, (byKind.get(kind) ?? 0) + 1);
        }
        console.log(db().kind, dml.length, [...byKind].sort((a, b) => b[1] - a[1]).slice(0, 12));
      }
    }
    for (const count of counts) expect(count).toBeLessThan(BATCH * BOUND_PER_EVENT);
  });

  it(`${CLIENTS} clients posting single events concurrently share statements and commits`, async () => {
    const app = await ingestApp(db());
    const lines = [...corpusLines({ count: SINGLE_EVENTS, seed: 101, idBase: 30_000_000 })];
    db().statements.length = 0;
    const statuses: number[] = [];
    await Promise.all(
      Array.from({ length: CLIENTS }, async (_, client) => {
        for (let i = client; i < lines.length; i += CLIENTS) {
          statuses.push((await postEvents(app, lines[i], 'application/json')).status);
        }
      }),
    );
    expect(statuses).toEqual(lines.map(() => 200));
    const dml = db().statements.filter(isDml).length;
    const commits = db().statements.filter(isCommit).length;
    if (process.env.STATEMENT_REPORT) {
      const byKind = new Map<string, number>();
      for (const sql of db().statements) {
        const kind = sql.replace(/\s+/g, ' ').slice(0, 70);
        byKind.set(kind, (byKind.get(kind) ?? 0) + 1);
      }
      console.log(
        db().kind,
        { dml, commits, events: SINGLE_EVENTS },
        [...byKind].sort((a, b) => b[1] - a[1]).slice(0, 25),
      );
    }
    expect(dml).toBeLessThan(SINGLE_EVENTS * SINGLE_BOUND_PER_EVENT);
    expect(commits).toBeLessThan(SINGLE_EVENTS * COMMITS_PER_EVENT);
  });
});
