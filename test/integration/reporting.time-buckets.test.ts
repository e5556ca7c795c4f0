// The bucket SQL agrees with the JS bucket start on both databases, for thousands of
// random instants and for instants around every daylight-saving change of the range,
// written to a real DATETIME(3) column the way the projections write it.
import { Submission } from '../../src/domains/submissions/submission.entity';
import { dialectOf } from '../../src/reporting/aggregate';
import {
  bucketSql,
  bucketStart,
  BucketUnit,
  readDatetime,
  timeZoneOf,
  transitions,
} from '../../src/reporting/time-buckets';
import { describeEachDatabase } from '../support/databases';
import { random } from '../../bench/lib/corpus';

const ZONES = ['America/Chicago', 'Europe/Berlin', 'Australia/Lord_Howe', 'Asia/Kolkata', 'UTC', 'America/Santiago'];
const UNITS: BucketUnit[] = ['DAY', 'WEEK', 'MONTH'];
const FROM = Date.parse('2023-06-01T00:00:00Z');
const TO = Date.parse('2025-06-01T00:00:00Z');

function probeInstants(): number[] {
  const next = random(20241103);
  const out: number[] = [];
  for (let i = 0; i < 3000; i++) out.push(FROM + Math.floor(next() * (TO - FROM)));
  // Around every change of every zone, and around the local midnights next to it.
  for (const name of ZONES) {
    for (const t of transitions(timeZoneOf(name), FROM, TO)) {
      for (const delta of [-1, 0, 1, 999, -3_600_000, 3_600_000, -86_400_000, 86_400_000, 7 * 86_400_000])
        out.push(t + delta);
    }
  }
  return out;
}

describeEachDatabase('time buckets in SQL', (db) => {
  const instants = probeInstants();

  beforeAll(async () => {
    const rows = instants.map((ms, i) => ({ id: String(900_000_000 + i), submittedAt: new Date(ms) }));
    rows.push({ id: '899999999', submittedAt: null as unknown as Date });
    const repo = db().dataSource.getRepository(Submission);
    for (let i = 0; i < rows.length; i += 400) await repo.insert(rows.slice(i, i + 400));
  });

  for (const zoneName of ZONES) {
    it(`maps every instant to the JS bucket start in ${zoneName}, by DAY, WEEK and MONTH`, async () => {
      const zone = timeZoneOf(zoneName);
      const ds = db().dataSource;
      const [range] = await ds.query('SELECT MIN(submitted_at) AS lo, MAX(submitted_at) AS hi FROM submissions');
      for (const unit of UNITS) {
        const sql = bucketSql(dialectOf(ds), 's.submitted_at', zone, unit, {
          min: readDatetime(range.lo)!,
          max: readDatetime(range.hi)!,
        });
        const rows: Array<{ id: unknown; at: unknown; bucket: unknown }> = await ds.query(
          `SELECT s.id AS id, s.submitted_at AS at, ${sql} AS bucket FROM submissions s ORDER BY s.id`,
        );
        expect(rows).toHaveLength(instants.length + 1);
        const wrong: string[] = [];
        for (const row of rows) {
          const at = readDatetime(row.at);
          const got = readDatetime(row.bucket);
          if (!at) {
            if (got !== null) wrong.push(`NULL → ${String(row.bucket)}`);
            continue;
          }
          const expected = bucketStart(at, zone, unit).toISOString();
          if (got?.toISOString() !== expected)
            wrong.push(`${at.toISOString()} → ${got?.toISOString()} (expected ${expected})`);
        }
        expect({ unit, wrong: wrong.slice(0, 5), count: wrong.length }).toEqual({ unit, wrong: [], count: 0 });
      }
    });
  }

  it('is one plain expression when the zone never changes its offset in the range', () => {
    const sql = bucketSql(dialectOf(db().dataSource), 's.submitted_at', timeZoneOf('Asia/Kolkata'), 'DAY', {
      min: new Date(FROM),
      max: new Date(TO),
    });
    expect(sql).not.toMatch(/WHEN s\.submitted_at </);
    expect(sql).not.toMatch(/CONVERT_TZ|time_zone|localtime/i);
  });
});
