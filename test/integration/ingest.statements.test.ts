// Ingest is bound by round trips, so the number of statements a batch costs is a
// figure to keep: a 1,000-event batch of the bench corpus must stay under a bound.
import { corpusLines, ndjsonBatches } from '../../bench/lib/corpus';
import { describeEachDatabase } from '../support/databases';
import { ingestApp, postEvents } from '../support/ingest-app';

const EVENTS = 1000;
/** DML statements per event allowed for the batch (9.4 when every row was read and written per event). */
const BOUND_PER_EVENT = Number(process.env.STATEMENT_BOUND ?? 4);

const isDml = (sql: string) => /^\s*(SELECT|INSERT|UPDATE|DELETE|REPLACE)\b/i.test(sql);

describeEachDatabase('statements per ingested batch', (db) => {
  it(`a ${EVENTS}-event NDJSON batch takes fewer than ${BOUND_PER_EVENT} DML statements per event`, async () => {
    const app = await ingestApp(db());
    const [batch] = [...ndjsonBatches(corpusLines({ count: EVENTS, seed: 100, idBase: 20_000_000 }), EVENTS)];
    db().statements.length = 0;
    const response = await postEvents(app, batch.body, 'application/x-ndjson');
    expect(response.status).toBe(200);
    const dml = db().statements.filter(isDml);
    if (process.env.STATEMENT_REPORT) {
      const byKind = new Map<string, number>();
      for (const sql of dml) {
        const kind = sql.replace(/\s+/g, ' ').slice(0, 60);
        byKind.set(kind, (byKind.get(kind) ?? 0) + 1);
      }
      console.log(db().kind, dml.length, [...byKind].sort((a, b) => b[1] - a[1]).slice(0, 25));
    }
    expect(dml.length).toBeLessThan(EVENTS * BOUND_PER_EVENT);
  });
});
