import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { buildProjectorRegistry, domainModules, projectionEntities } from '../../src/modules';
import { EventRecord } from '../../src/log/event.entity';
import { EventLog, IncomingItem } from '../../src/ingest/event-log';
import { toEnvelopedEvent } from '../../src/ingest/envelope';
import { parseLossless } from '../../src/canvas/lossless-json';
import { importNdjson } from '../../src/ingest/ndjson-import';
import { Replayer } from '../../src/ingest/replay';
import { databaseKinds, createTestDatabase, isCommit, TestDatabase } from '../support/databases';
import { snapshotProjections } from '../support/projections';

const fixtureDir = join(__dirname, '../fixtures/canvas-live-events');
const fixtureTexts = readdirSync(fixtureDir).map((f) => readFileSync(join(fixtureDir, f), 'utf8'));

/** The fixtures plus variations: more submissions, a late older update, comments before their submission. */
function corpus(): string[] {
  const events = fixtureTexts.map((t) => JSON.parse(t));
  const base = events.find((e) => e.metadata.event_name === 'submission_updated');
  for (let i = 0; i < 6; i++) {
    const e = JSON.parse(JSON.stringify(base));
    e.body.submission_id = `2107000000002${String(i).padStart(4, '0')}`;
    e.body.updated_at = `2019-11-0${1 + (i % 3)}T10:00:00-06:00`;
    e.body.score = i * 10;
    e.metadata.event_time = `2019-11-0${1 + (i % 3)}T16:00:0${i}Z`;
    events.push(e);
  }
  const older = JSON.parse(JSON.stringify(base));
  older.body.updated_at = '2018-01-01T00:00:00Z';
  older.body.score = 1;
  events.push(older);
  return events.map((e) => JSON.stringify(e));
}

function items(texts: string[]): IncomingItem[] {
  return texts.map((t) => ({ kind: 'event', event: toEnvelopedEvent(parseLossless(t), t) }));
}

const source = { route: 'test', contentType: 'application/json' };

for (const kind of databaseKinds) {
  describe(`replay and import [${kind}]`, () => {
    let db: TestDatabase;
    beforeEach(async () => {
      db = await createTestDatabase(kind);
    });
    afterEach(async () => {
      await db.drop();
    });

    it('rebuilds projections identical to the live ones, and again on a second run', async () => {
      await new EventLog(db.dataSource, buildProjectorRegistry()).append(items(corpus()), source);
      const live = await snapshotProjections(db.dataSource);
      expect(live.submissions.length).toBeGreaterThan(5);

      const replayer = new Replayer(db.dataSource, buildProjectorRegistry(), projectionEntities);
      const first = await replayer.run({ chunkSize: 3 });
      expect(first.replayed).toBe(corpus().length);
      expect(await snapshotProjections(db.dataSource)).toEqual(live);
      await replayer.run({ chunkSize: 5 });
      expect(await snapshotProjections(db.dataSource)).toEqual(live);
    });

    it('projects formerly unprojected events once their type has a projector', async () => {
      const withoutSubmissions = buildProjectorRegistry(domainModules.filter((m) => m.name !== 'submissions'));
      const outcomes = await new EventLog(db.dataSource, withoutSubmissions).append(items(corpus()), source);
      expect(outcomes.filter((o) => o.status === 'unprojected').length).toBeGreaterThan(0);

      const result = await new Replayer(db.dataSource, buildProjectorRegistry(), projectionEntities).run();
      expect(result.statusChanges).toBe(outcomes.filter((o) => o.status === 'unprojected').length);
      expect(await db.dataSource.manager.countBy(EventRecord, { status: 'UNPROJECTED' })).toBe(0);

      const reference = await createTestDatabase(kind);
      try {
        await new EventLog(reference.dataSource, buildProjectorRegistry()).append(items(corpus()), source);
        expect(await snapshotProjections(db.dataSource)).toEqual(await snapshotProjections(reference.dataSource));
      } finally {
        await reference.drop();
      }
    });

    it('resumes an interrupted replay after the last committed chunk', async () => {
      await new EventLog(db.dataSource, buildProjectorRegistry()).append(items(corpus()), source);
      const live = await snapshotProjections(db.dataSource);
      const replayer = new Replayer(db.dataSource, buildProjectorRegistry(), projectionEntities);
      await expect(
        replayer.run({
          chunkSize: 4,
          onProgress: (done) => {
            if (done >= 8) throw new Error('interrupted');
          },
        }),
      ).rejects.toThrow('interrupted');
      const resumed = await replayer.run({ chunkSize: 4, resume: true });
      expect(resumed.resumedFrom).not.toBeNull();
      expect(resumed.replayed).toBe(corpus().length - 4);
      expect(await snapshotProjections(db.dataSource)).toEqual(live);
    });

    it('replays in one transaction on request', async () => {
      await new EventLog(db.dataSource, buildProjectorRegistry()).append(items(corpus()), source);
      const live = await snapshotProjections(db.dataSource);
      await new Replayer(db.dataSource, buildProjectorRegistry(), projectionEntities).run({
        singleTransaction: true,
        chunkSize: 2,
      });
      expect(await snapshotProjections(db.dataSource)).toEqual(live);
    });

    it('imports a generated NDJSON file, gzip too, through the ingest path', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'import-'));
      const lines = corpus();
      const text = [...lines, '', 'not json', lines[0]].join('\n') + '\n';
      writeFileSync(join(dir, 'events.ndjson'), text);
      writeFileSync(join(dir, 'events.ndjson.gz'), gzipSync(text));
      const eventLog = new EventLog(db.dataSource, buildProjectorRegistry());

      const plain = await importNdjson(eventLog, join(dir, 'events.ndjson'), { batchSize: 4 });
      expect(plain).toMatchObject({ lines: lines.length + 3, stored: lines.length, rejected: 1, duplicate: 1 });
      // Long lines close a batch early: at 1 byte a batch, every line commits on its own.
      db.statements.length = 0;
      const gz = await importNdjson(eventLog, join(dir, 'events.ndjson.gz'), { batchSize: 4, batchBytes: 1 });
      expect(gz).toMatchObject({ stored: 0, duplicate: lines.length + 1, rejected: 1 });
      expect(db.statements.filter(isCommit)).toHaveLength(lines.length + 2);

      const reference = await createTestDatabase(kind);
      try {
        await new EventLog(reference.dataSource, buildProjectorRegistry()).append(items(lines), source);
        expect(await snapshotProjections(db.dataSource)).toEqual(await snapshotProjections(reference.dataSource));
      } finally {
        await reference.drop();
      }
    });
  });
}
