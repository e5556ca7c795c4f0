// Ingest is bound by round trips, so the number of statements a batch costs is a
// figure to keep: the bench corpus, posted as NDJSON batches of 1,000 events (the first
// on an empty database, the later ones mostly updating rows), must stay under a bound.
import { corpusLines, ndjsonBatches } from '../../bench/lib/corpus';
import { describeEachDatabase } from '../support/databases';
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
});
