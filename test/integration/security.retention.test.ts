// rejected_events does not grow for ever: refusals older than REJECTED_RETENTION_DAYS are
// deleted, and the oldest first while the kept bytes exceed REJECTED_MAX_MB. The sweep is
// checked directly on both databases, and in the service, which sweeps at start.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDataSource } from '../../src/db/data-source';
import { EventLog } from '../../src/ingest/event-log';
import { RejectedEvent } from '../../src/log/rejected-event.entity';
import { sweepRejectedEvents } from '../../src/log/rejected-retention';
import { buildProjectorRegistry, entities, migrations } from '../../src/modules';
import { BoundedRefusals1764000000200 } from '../../migrations/1764000000200-bounded-refusals';
import { LtiNonce } from '../../src/lti/lti-nonce.entity';
import { createTestDatabase, databaseKinds, describeEachDatabase, TestDatabase } from '../support/databases';
import { freePort, startMain } from '../support/main-process';

const DAY = 86_400_000;
const NO_SIZE_CAP = Number.MAX_SAFE_INTEGER;

/** Refusals kept through the event log, as routes keep them; their ids in order. */
async function keepRefusals(
  dataSource: TestDatabase['dataSource'],
  raws: string[],
  receivedAt = new Date(),
): Promise<string[]> {
  const log = new EventLog(dataSource, buildProjectorRegistry());
  const ids: string[] = [];
  for (const raw of raws) {
    const [outcome] = await log.append(
      [{ kind: 'rejected', raw, reason: 'not valid JSON', status: 400 }],
      { route: 'events', contentType: 'application/json' },
      receivedAt,
    );
    ids.push(outcome.id);
  }
  return ids;
}

describeEachDatabase('retention of rejected_events', (db) => {
  const remaining = async () =>
    (
      await db()
        .dataSource.getRepository(RejectedEvent)
        .find({ order: { id: 'ASC' } })
    ).map((r) => r.id);

  beforeEach(async () => {
    await db().dataSource.getRepository(RejectedEvent).clear();
  });

  it('counts the bytes each refusal keeps, raw and reason, as UTF-8', async () => {
    const [id] = await keepRefusals(db().dataSource, ['é'.repeat(10)]);
    const row = await db().dataSource.getRepository(RejectedEvent).findOneByOrFail({ id });
    expect(row.storedBytes).toBe(String(20 + 'not valid JSON'.length));
  });

  it('deletes refusals older than the retention period and keeps the rest', async () => {
    const now = new Date();
    const old = await keepRefusals(db().dataSource, ['old-1', 'old-2'], new Date(now.getTime() - 31 * DAY));
    const recent = await keepRefusals(db().dataSource, ['recent'], new Date(now.getTime() - 29 * DAY));
    const result = await sweepRejectedEvents(db().dataSource, { maxAgeDays: 30, maxBytes: NO_SIZE_CAP }, now);
    expect(result).toEqual({ byAge: old.length, bySize: 0 });
    expect(await remaining()).toEqual(recent);
  });

  it('deletes the oldest refusals first until the kept bytes fit the size cap', async () => {
    const raw = 'x'.repeat(986); // 1,000 bytes with the reason
    const ids = await keepRefusals(db().dataSource, [raw, raw, raw, raw, raw]);
    const result = await sweepRejectedEvents(db().dataSource, { maxAgeDays: 30, maxBytes: 2_500 });
    expect(result).toEqual({ byAge: 0, bySize: 3 });
    expect(await remaining()).toEqual(ids.slice(3));
    expect(await sweepRejectedEvents(db().dataSource, { maxAgeDays: 30, maxBytes: 2_500 })).toEqual({
      byAge: 0,
      bySize: 0,
    });
  });
});

/** A DATETIME(3) literal in UTC, which both databases take as a parameter. */
const sqlTime = (at: Date) => at.toISOString().replace('T', ' ').replace('Z', '');

describe.each(databaseKinds)('the migration to bounded refusals [%s]', (kind) => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase(kind, { migrate: false });
  });
  afterAll(() => db?.drop());

  it('measures refusals kept before it, and makes nonces differ by trailing spaces where they did not', async () => {
    const qr = db.dataSource.createQueryRunner();
    try {
      for (const Migration of migrations) {
        if (Migration === BoundedRefusals1764000000200) break;
        await new Migration().up(qr);
      }
      await qr.query(
        "INSERT INTO rejected_events (received_at, source, content_type, reason, raw) VALUES (?, 'events', NULL, 'bad', ?)",
        [sqlTime(new Date()), 'é'.repeat(10)],
      );
      await qr.query("INSERT INTO lti_nonces (consumer_key, nonce, expires_at) VALUES ('k', 'pad', ?)", [
        sqlTime(new Date(Date.now() + 60_000)),
      ]);
      await new BoundedRefusals1764000000200().up(qr);
      const [row] = await db.dataSource.getRepository(RejectedEvent).find();
      expect(row).toMatchObject({ storedBytes: '23', receivedBytes: '20', itemCount: 1, clientAddress: null });
      const nonces = db.dataSource.getRepository(LtiNonce);
      expect(await nonces.existsBy({ consumerKey: 'k', nonce: 'pad' })).toBe(true);
      expect(await nonces.existsBy({ consumerKey: 'k', nonce: 'pad ' })).toBe(false);
      expect(await nonces.existsBy({ consumerKey: 'k ', nonce: 'pad' })).toBe(false);
    } finally {
      await qr.release();
    }
  });
});

describe('the service sweeping rejected_events', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'retention-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('deletes expired refusals at start, logging what it deleted', async () => {
    const url = `sqlite:${join(dir, 'events.sqlite')}`;
    const dataSource = await openDataSource({ url, entities, migrations });
    await keepRefusals(dataSource, ['ancient'], new Date(Date.now() - 10 * DAY));
    const [kept] = await keepRefusals(dataSource, ['fresh']);
    await dataSource.destroy();

    const service = startMain({ DATABASE_URL: url, PORT: String(await freePort()), REJECTED_RETENTION_DAYS: '7' });
    const line = JSON.parse(await service.waitForLine(/old refusals deleted/));
    expect(line).toMatchObject({ byAge: 1, bySize: 0, maxAgeDays: 7 });
    service.child.kill('SIGTERM');
    expect((await service.exited).code).toBe(0);

    const after = await openDataSource({ url, entities, migrations });
    try {
      expect((await after.getRepository(RejectedEvent).find()).map((r) => r.id)).toEqual([kept]);
    } finally {
      await after.destroy();
    }
  });
});
